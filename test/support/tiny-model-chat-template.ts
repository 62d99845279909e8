/** The Jinja chat template embedded in the generated test models: ChatML with Hermes-style tool calls. */

/**
 * ChatML turns (`<|im_start|>role\n...<|im_end|>\n`) with tool use laid out the way Hermes 2 Pro and
 * Qwen 2.5 do it, because that is the layout llama-server's `--jinja` mode recognises when it works out
 * how to parse tool calls from a template:
 * - tools: one JSON object per line inside `<tools></tools>` in the system turn, followed by the
 *   instruction naming the `<tool_call>` format (so a prompt that offers tools contains the
 *   `<tool_call>` token; the tool-caller model uses that to know tools are on offer);
 * - assistant tool calls: `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>` after the text;
 * - tool results: a user turn holding one `<tool_response>\n...\n</tool_response>` block per result
 *   (consecutive results share the turn).
 * The system turn is left out when there is neither a system message nor a tool. Adapted from Qwen 2.5
 * Instruct's template (Apache-2.0). No trailing newline: llama.cpp trims it, and /props should report
 * the template exactly as written here.
 */
export const TINY_MODEL_CHAT_TEMPLATE = `{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- elif messages[0]['role'] == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}`;

/** ChatML and nothing else: no tools, no tool calls, no tool role. The text-tool-caller's template. */
export const PLAIN_CHATML_TEMPLATE = `{%- for message in messages %}
    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}`;
