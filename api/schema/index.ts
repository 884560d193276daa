import { builder } from "../builder";
import "./answer-provenance";
import "./answers";
import "./events";
import "./export";
import "./history";
import "./measures";
import "./monitor";
import "./participants";
import "./records";
import "./researcher-session";
import "./sessions";
import "./sources";
import "./status";
import "./stream";
import "./studies";
import "./study-definitions";

export const schema = builder.toSchema();
