import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForWorkerd } from "../../src/sandbox/load-module-workerd";
import { hostileSandboxSuite } from "../suites/sandbox";

// The same hostile suite as on Node, inside workerd, with the .wasm imported as a compiled module.
hostileSandboxSuite(() => {
  let loads = 0;
  const sandbox = createSandbox({
    // A clock that never moves, as in deployed Workers: only the tick budget stops code, so the
    // outcomes do not depend on how busy the machine is.
    now: () => 0,
    loadModule: () => {
      loads += 1;
      return loadQuickJsModuleForWorkerd();
    },
  });
  return { sandbox, moduleLoads: () => loads };
});
