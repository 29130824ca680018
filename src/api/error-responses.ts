import { z } from "@hono/zod-openapi";
import { errorStatus } from "../errors";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string(),
      details: z.array(z.record(z.string(), z.unknown())).optional(),
      request_id: z.string(),
    }),
  })
  .openapi("Error");

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

/** The documented failure responses every route shares; spread into `responses`. */
export const errorResponses = {
  400: errorContent("Invalid request (body, query or path parameters)"),
  401: errorContent("Missing, wrong or revoked API key"),
  403: errorContent("The caller's role does not allow this"),
  404: errorContent("Not found in this workspace"),
  413: errorContent("Request body too large"),
  500: errorContent("Internal error; the message never includes internals"),
} as const;
