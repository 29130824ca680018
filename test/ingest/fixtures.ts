import { readFileSync } from "node:fs";

/** A fixture file under test/fixtures as text (for parsers that take the raw body). */
export function fixtureText(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
}

export function fixtureJson(path: string): any {
  return JSON.parse(fixtureText(path));
}
