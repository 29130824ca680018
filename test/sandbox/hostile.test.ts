import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { hostileSandboxSuite } from "../suites/sandbox";

hostileSandboxSuite(() => {
  let loads = 0;
  const sandbox = createSandbox({
    // A clock that never moves, as in deployed Workers: only the tick budget stops code, so the
    // outcomes do not depend on how busy the machine is.
    now: () => 0,
    loadModule: () => {
      loads += 1;
      return loadQuickJsModuleForNode();
    },
  });
  return { sandbox, moduleLoads: () => loads };
});
