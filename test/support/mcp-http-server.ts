/**
 * A real streamable-HTTP MCP server on loopback, built with the SDK's own server classes
 * (`Server` + the web-standard streamable-HTTP transport) behind `Bun.serve`: stateful, so it
 * can tell its client that its tools changed. Tools are plain handlers the test defines; every
 * call and the headers it came with are recorded, and calls in flight are counted.
 */
import { randomUUID } from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types";

export interface TestMcpTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  /** Text of the result, or a whole CallToolResult. */
  run(args: Record<string, unknown>): Promise<string | { content: Array<{ type: "text"; text: string }>; isError?: boolean }>;
}

export interface TestMcpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  calls: Array<{ name: string; args: Record<string, unknown> }>;
  /** Every request's `authorization` header (or "" when none). */
  authorizations: string[];
  /** The most calls that were running at once. */
  maxConcurrentCalls(): number;
  /** Replaces the tools and tells every connected client that they changed. */
  setTools(tools: TestMcpTool[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * @example
 * const mcp = await startTestMcpServer([{ name: "add", run: async ({ a, b }) => String(Number(a) + Number(b)) }]);
 * // configure anyclaude with { mcp: { servers: { calc: { url: mcp.url } } } }
 * await mcp.stop();
 */
export async function startTestMcpServer(initial: TestMcpTool[]): Promise<TestMcpServer> {
  let tools = initial;
  const calls: TestMcpServer["calls"] = [];
  const authorizations: string[] = [];
  const sessions = new Map<string, { server: Server; transport: WebStandardStreamableHTTPServerTransport }>();
  let running = 0;
  let maxRunning = 0;

  const createSession = () => {
    const server = new Server({ name: "anyclaude-test", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: tools.map((tool) => ({
        name: tool.name,
        description: tool.description ?? `The ${tool.name} tool.`,
        inputSchema: (tool.inputSchema ?? { type: "object", properties: {} }) as { type: "object" },
      })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const args = (request.params.arguments ?? {}) as Record<string, unknown>;
      calls.push({ name: request.params.name, args });
      const tool = tools.find((candidate) => candidate.name === request.params.name);
      if (!tool) return { content: [{ type: "text", text: `unknown tool ${request.params.name}` }], isError: true };
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        const result = await tool.run(args);
        return typeof result === "string" ? { content: [{ type: "text", text: result }] } : result;
      } finally {
        running--;
      }
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    return { server, transport };
  };

  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      authorizations.push(request.headers.get("authorization") ?? "");
      const id = request.headers.get("mcp-session-id");
      const known = id ? sessions.get(id) : undefined;
      if (known) return known.transport.handleRequest(request);
      if (id) return new Response("unknown session", { status: 404 });
      const session = createSession();
      await session.server.connect(session.transport);
      return session.transport.handleRequest(request);
    },
  });

  return {
    url: `http://127.0.0.1:${http.port}/mcp`,
    calls,
    authorizations,
    maxConcurrentCalls: () => maxRunning,
    async setTools(next) {
      tools = next;
      await Promise.all([...sessions.values()].map(({ server }) => server.sendToolListChanged()));
    },
    async stop() {
      await Promise.all([...sessions.values()].map(({ server }) => server.close()));
      await http.stop(true);
    },
  };
}
