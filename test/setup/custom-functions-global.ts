import { installCustomFunctionsGlobal } from "../support/custom-functions-fake";

installCustomFunctionsGlobal();
