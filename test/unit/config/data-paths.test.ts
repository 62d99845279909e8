import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/config/config-error";
import { resolveDataPaths } from "../../../src/config/data-paths";
import { loadConfig } from "../../../src/config/load-config";

describe("resolveDataPaths", () => {
  test("defaults under HOME per the XDG spec", () => {
    expect(resolveDataPaths({}, { HOME: "/home/me" })).toEqual({
      dataDir: "/home/me/.local/share/anyclaude",
      cacheDir: "/home/me/.cache/anyclaude",
    });
  });

  test("XDG_DATA_HOME and XDG_CACHE_HOME win over HOME", () => {
    expect(resolveDataPaths({}, { HOME: "/home/me", XDG_DATA_HOME: "/srv/data", XDG_CACHE_HOME: "/var/cache/me" })).toEqual({
      dataDir: "/srv/data/anyclaude",
      cacheDir: "/var/cache/me/anyclaude",
    });
  });

  test("a relative XDG variable is ignored, as the spec says", () => {
    expect(resolveDataPaths({}, { HOME: "/home/me", XDG_DATA_HOME: "data", XDG_CACHE_HOME: "" }).dataDir).toBe(
      "/home/me/.local/share/anyclaude",
    );
  });

  test("configured directories win; ~/ expands to HOME; relative ones are taken from the working directory", () => {
    const paths = resolveDataPaths({ dataDir: "~/anyclaude-data", cacheDir: "cache" }, { HOME: "/home/me", XDG_DATA_HOME: "/srv" });
    expect(paths).toEqual({ dataDir: "/home/me/anyclaude-data", cacheDir: `${process.cwd()}/cache` });
  });

  test("without HOME or the variables, each unset directory is a config problem naming its flag", () => {
    let error: unknown;
    try {
      resolveDataPaths({ dataDir: "~/x" }, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "paths.dataDir", message: '"~/x" starts with ~/ but HOME is not set; write the full path' },
      { path: "paths.cacheDir", message: "no default: neither XDG_CACHE_HOME nor HOME is set; set --cache-dir or paths.cacheDir" },
    ]);
  });
});

describe("paths in the configuration", () => {
  test("flags beat the environment, which beats defaults", () => {
    const config = loadConfig({
      env: { ANYCLAUDE_DATA_DIR: "/env/data", ANYCLAUDE_PATHS__CACHE_DIR: "/env/cache" },
      flags: { dataDir: "/flag/data" },
    });
    expect(config.paths).toEqual({ dataDir: "/flag/data", cacheDir: "/env/cache" });
  });

  test("an empty directory name is an error with its source", () => {
    expect(() => loadConfig({ env: {}, flags: { cacheDir: "" } })).toThrow("paths.cacheDir: expected non-empty string");
  });
});
