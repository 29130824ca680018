import { z } from "zod";
import type { IntegrationPlatform } from "../db/schema/enums";
import { validationError } from "../errors";

// Platform options kept in `integrations.config` (never secrets). Known keys are type-checked so a
// typo'd value fails at write time, not in the middle of an import; other keys are kept as given.

const Text = (max: number) => z.string().trim().min(1).max(max);

const configSchemas: Record<IntegrationPlatform, z.ZodType<Record<string, unknown>>> = {
  langfuse: z.looseObject({
    /** Import Langfuse scores as labels. */
    import_scores: z.boolean().optional(),
    /** Only scores with this name become labels. */
    score_name: Text(200).optional(),
  }),
  langsmith: z.looseObject({
    project_id: Text(100).optional(),
    project_name: Text(200).optional(),
  }),
  openai: z.looseObject({
    /** `metadata[key]=value` filters for the list call (OpenAI allows 16 pairs). */
    metadata: z.record(z.string().min(1).max(64), z.string().max(512)).optional(),
    model: Text(200).optional(),
  }),
};

/** @throws VALIDATION_ERROR with one detail per bad key (paths under `config`). */
export function checkConfig(platform: IntegrationPlatform, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = configSchemas[platform].safeParse(config);
  if (!parsed.success) {
    throw validationError(
      `Invalid config for ${platform}`,
      parsed.error.issues.map((issue) => ({
        path: ["config", ...issue.path.map(String)].join("."),
        message: issue.message,
      })),
    );
  }
  const metadata = parsed.data.metadata;
  if (platform === "openai" && metadata && Object.keys(metadata).length > 16) {
    throw validationError(`Invalid config for ${platform}`, [{ path: "config.metadata", message: "at most 16 pairs" }]);
  }
  return parsed.data;
}
