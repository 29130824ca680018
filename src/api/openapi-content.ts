/** A documented JSON response: `responses: { 200: jsonContent(Schema, "…") }`. */
export const jsonContent = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
