import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { hostileSandboxSuite } from "../suites/sandbox";

hostileSandboxSuite(() => {
  let loads = 0;
  const sandbox = createSandbox({
    loadModule: () => {
      loads += 1;
      return loadQuickJsModuleForNode();
    },
  });
  return { sandbox, moduleLoads: () => loads };
});
