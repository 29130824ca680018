/** The media type of a Content-Type header, lower-cased, without parameters (`; charset=…`); "" when absent. */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
