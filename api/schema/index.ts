import { builder } from "../builder";
import "./answers";
import "./click-through";
import "./events";
import "./export";
import "./history";
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
