/**
 * Sets an environment variable where native libraries read it. Bun's `process.env` is a copy:
 * writing to it never reaches libc's environment, so a library calling getenv() (ONNX Runtime
 * deciding on telemetry) would not see it. libc's own setenv, called through bun:ffi, does.
 */
import { dlopen, FFIType } from "bun:ffi";

/**
 * Also updates `process.env`, so both views agree. Must run before the library reads the
 * variable, which for most is when they load.
 *
 * @example
 * setNativeEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
 */
export function setNativeEnvironmentVariable(name: string, value: string): void {
  const libc = dlopen("libc.so.6", { setenv: { args: [FFIType.cstring, FFIType.cstring, FFIType.i32], returns: FFIType.i32 } });
  const status = libc.symbols.setenv(Buffer.from(`${name}\0`), Buffer.from(`${value}\0`), 1);
  if (status !== 0) throw new Error(`setenv(${name}) failed`);
  process.env[name] = value;
}
