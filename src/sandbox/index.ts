export { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox";
export {
  defaultLimits,
  type EvalErrorKind,
  type EvalFailure,
  type EvalOutcome,
  evalErrorKinds,
  type SandboxLimits,
} from "./types";
