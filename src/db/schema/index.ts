export * from "./enums";
export * from "./jobs";
export * from "./tenancy";
