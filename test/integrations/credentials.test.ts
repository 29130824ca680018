import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { normalizeBaseUrl, parseLangfuseKey } from "../../src/integrations";
import { checkConfig } from "../../src/integrations/config";
import { checkApiKey, resolveBaseUrl } from "../../src/integrations/credentials";

describe("normalizeBaseUrl", () => {
  it.each([
    ["https://cloud.langfuse.com", "https://cloud.langfuse.com"],
    ["https://cloud.langfuse.com/", "https://cloud.langfuse.com"],
    ["  http://127.0.0.1:3000//  ", "http://127.0.0.1:3000"],
    ["https://proxy.example/langsmith/api/", "https://proxy.example/langsmith/api"],
    ["HTTPS://Example.COM/Path", "https://example.com/Path"],
  ])("keeps %s as %s", (raw, expected) => {
    expect(normalizeBaseUrl(raw)).toBe(expected);
  });

  it.each([
    "ftp://example.com",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/plain,x",
    "https://user:pass@example.com",
    "https://example.com/?a=1",
    "https://example.com/?",
    "https://example.com/#x",
    "example.com",
    "",
  ])("refuses %s", (raw) => {
    expect(normalizeBaseUrl(raw)).toBeNull();
  });
});

describe("credentials", () => {
  it("splits a Langfuse key in two non-empty halves", () => {
    expect(parseLangfuseKey("pk-lf-1:sk-lf-2")).toEqual({ publicKey: "pk-lf-1", secretKey: "sk-lf-2" });
    for (const bad of ["pk", "pk:", ":sk", "a:b:c"]) {
      expect(parseLangfuseKey(bad)).toBeNull();
    }
  });

  it("refuses keys that could break an HTTP header", () => {
    for (const key of ["sk-a\r\nX-Injected: 1", "sk\u00e9", "sk a"]) {
      expect(() => checkApiKey("openai", key)).toThrow(AppError);
    }
    expect(() => checkApiKey("langsmith", "lsv2_pt_abc")).not.toThrow();
  });

  it("defaults each platform to its own cloud", () => {
    expect(resolveBaseUrl("langfuse", undefined)).toBe("https://cloud.langfuse.com");
    expect(resolveBaseUrl("langsmith", null)).toBe("https://api.smith.langchain.com");
    expect(resolveBaseUrl("openai", undefined)).toBe("https://api.openai.com");
  });
});

describe("checkConfig", () => {
  it("type-checks known keys, keeps unknown ones and bounds OpenAI metadata filters", () => {
    expect(checkConfig("langsmith", { project_name: " bot ", extra: 1 })).toEqual({ project_name: "bot", extra: 1 });
    expect(() => checkConfig("openai", { metadata: { k: 1 } })).toThrow(AppError);
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    expect(() => checkConfig("openai", { metadata: seventeen })).toThrow(AppError);
  });
});
