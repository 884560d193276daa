import scriptedDemo from "../../config/scripted-llm.json";
import { parseScript, type Script } from "./scripted";

/** The deployment's own scripted answers (config/scripted-llm.json): the default without an API key. */
export const defaultScript: Script = parseScript(scriptedDemo);
