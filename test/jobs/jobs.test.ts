import { jobsSuite } from "../suites/jobs";
import { makeNodeJobsEnv } from "./support";

jobsSuite(makeNodeJobsEnv);
