/**
 * The context part of the configuration schema: how a prompt is fitted to each target's window
 * (policy, output reserve, low-water mark, summarizer, window overrides), with overrides per
 * route or model group. Kept apart from config-schema.ts, which composes it.
 */
import { type Static, type TOptional, type TSchema, Type as t } from "@sinclair/typebox";

/** The tunable fields, with their defaults. */
function contextFields() {
  const given = <T extends object>(options: T, defaultValue: unknown) => ({ ...options, default: defaultValue });
  return {
    policy: t.Union([t.Literal("error"), t.Literal("fallback"), t.Literal("trim"), t.Literal("compress")], {
      ...given({}, "trim"),
      description:
        "What a prompt that does not fit its target's window becomes. `error`: Anthropic's 400 \"prompt is too long\" (Claude Code compacts); `fallback`: the model group's `contextFallback` (trim without one); `trim`: the oldest turns are left out, the task, the last turn and every tool call with its result kept; `compress`: as `trim`, with a summary of what was left out, written by `summarizer` (a failed summary leaves the marker, with a warning). See docs/decisions/0015-context-policy-trim-by-default.md.",
    }),
    outputReserveTokens: t.Integer({
      ...given({ minimum: 0 }, 8_192),
      description:
        "Tokens of the window kept for the answer (at most a quarter of the window); the prompt gets the rest. `max_tokens` is lowered to what the prompt leaves, with a warning.",
    }),
    lowWater: t.Number({
      ...given({ minimum: 0.1, maximum: 1 }, 0.65),
      description:
        "Fraction of the prompt's budget a cut goes down to. Lower: rarer cuts, so the following turns reuse the engine's cached prompt for longer; higher: more of the conversation kept.",
    }),
    recentTurns: t.Integer({
      ...given({ minimum: 0 }, 2),
      description: "Latest assistant turns whose tool results are never shortened (an edit needs the exact text just read).",
    }),
    clientWindow: t.Optional(
      t.Integer({
        minimum: 1_024,
        description:
          "Opt-in: the window the client believes this route's model has. The answer's usage then reports the input scaled by `clientWindow` / this target's input budget (and counts the whole conversation sent, before any trim), so Claude Code's own auto-compaction, which fires near the window it believes in, fires as the conversation reaches the real budget. Claude Code 2.1.332 believes 1000000 for `claude-*-5-5` and for model names it does not know, 200000 for `claude-*-4-5`. anyclaude's logs, history and metrics keep the real counts.",
      }),
    ),
    summarizer: t.Optional(
      t.String({
        minLength: 1,
        description:
          "Target that writes the summaries for `compress`: `backendId/model`, a model group or a served model name (a small fast model spares the main engine's KV cache). Unset: each request's own target. Summaries are kept in the data directory's store and reused after a restart.",
      }),
    ),
  };
}

/** The same fields, each optional and without a default, so only what a route or group sets is merged. */
function toOverrideFields() {
  const fields: Record<string, TSchema> = {};
  for (const [key, schema] of Object.entries(contextFields())) {
    const { default: _default, description: _description, ...rest } = schema as TSchema;
    fields[key] = t.Optional({ ...rest, description: `This route's or group's own \`context.${key}\`.` } as TSchema);
  }
  return fields as { [K in keyof ReturnType<typeof contextFields>]: TOptional<ReturnType<typeof contextFields>[K]> };
}

const ContextOverrideSchema = t.Object(toOverrideFields(), {
  additionalProperties: false,
  description: "Context settings for one route or model group, over the global ones.",
});

export const ContextSchema = t.Object(
  {
    ...contextFields(),
    windows: t.Record(t.String({ minLength: 1 }), t.Integer({ minimum: 256 }), {
      default: {},
      description:
        "Context window per target (`backendId/model`) or model name, in tokens, over what the engine reports and the backend's `contextWindow`.",
    }),
    routes: t.Record(t.String({ minLength: 1 }), ContextOverrideSchema, {
      default: {},
      description:
        "Overrides by route (`alias`, `direct`, `background`, `longContext`, `thinking`, `opus`, `sonnet`, `haiku`, `default`) or model group name; a group's entry wins over its route's.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description: "Fitting each request to its target's context window.",
  },
);

export type ContextConfig = Static<typeof ContextSchema>;
