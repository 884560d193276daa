import { builder } from "../builder";
import "./answers";
import "./events";
import "./export";
import "./records";
import "./sources";
import "./status";

export const schema = builder.toSchema();
