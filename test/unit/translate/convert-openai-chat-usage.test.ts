import { describe, expect, test } from "bun:test";
import { convertOpenAIChatUsage } from "../../../src/translate/convert-openai-chat-usage";

describe("convertOpenAIChatUsage", () => {
  test("plain OpenAI usage: all prompt tokens are input", () => {
    expect(convertOpenAIChatUsage({ usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } })).toEqual({
      input_tokens: 40,
      output_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  test("OpenAI/vLLM cached_tokens move out of input_tokens into cache reads", () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 960 } };
    const converted = convertOpenAIChatUsage({ usage });
    expect(converted).toMatchObject({ input_tokens: 40, cache_read_input_tokens: 960, output_tokens: 5 });
    expect(converted.input_tokens + converted.cache_read_input_tokens!).toBe(usage.prompt_tokens);
  });

  test("llama-server: timings.cache_n counts the reused prompt tokens", () => {
    const converted = convertOpenAIChatUsage({
      usage: { prompt_tokens: 2048, completion_tokens: 30, total_tokens: 2078 },
      timings: { cache_n: 2000, prompt_n: 48, predicted_n: 30 },
    });
    expect(converted).toEqual({ input_tokens: 48, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 2000 });
  });

  test("prompt_tokens_details wins over timings when both are present", () => {
    const converted = convertOpenAIChatUsage({
      usage: { prompt_tokens: 100, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 64 } },
      timings: { cache_n: 99, prompt_n: 1 },
    });
    expect(converted.cache_read_input_tokens).toBe(64);
    expect(converted.input_tokens).toBe(36);
  });

  test("null cached_tokens falls back to timings", () => {
    const converted = convertOpenAIChatUsage({
      usage: { prompt_tokens: 100, completion_tokens: 1, prompt_tokens_details: { cached_tokens: null } },
      timings: { cache_n: 90 },
    });
    expect(converted).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 90 });
  });

  test("timings alone are enough", () => {
    expect(convertOpenAIChatUsage({ timings: { cache_n: 10, prompt_n: 5, predicted_n: 3 } })).toEqual({
      input_tokens: 5,
      output_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 10,
    });
  });

  test("nothing reported: the fallback input count and zero output", () => {
    expect(convertOpenAIChatUsage({ usage: null }, 321)).toEqual({
      input_tokens: 321,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  test("a cache count larger than the prompt never makes input negative", () => {
    const converted = convertOpenAIChatUsage({ usage: { prompt_tokens: 10, completion_tokens: 1 }, timings: { cache_n: 12 } });
    expect(converted.input_tokens).toBe(0);
  });
});
