import { createHash } from "node:crypto";
import { shortEmployeeAttributes } from "./employee-attributes.ts";
import { jsonResponse, mediaType, v1Error, type SandboxResponse } from "./http-io.ts";
import { readMultipartForm } from "./multipart.ts";
import type { RecordedFile } from "./recorder.ts";
import { requireAuth, type HandlerContext } from "./runtime.ts";
import type { StoredDocument } from "./state.ts";
import { isCalendarDate, localDate } from "./time-format.ts";

/** Maximum file size of an upload: 30 MB, read as 30 MiB (Laravel's `max:30720` kilobytes). */
export const MAX_DOCUMENT_BYTES = 30 * 1024 * 1024;

/** Room for the form fields and multipart boundaries on top of the file; `title` is at most 255 characters. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** File extensions accepted by POST /v1/company/documents, in the order of the spec's 422 example. */
export const ALLOWED_DOCUMENT_EXTENSIONS = [
  "pdf", "docx", "doc", "jpg", "zip", "png", "txt", "jpeg", "odt", "xlsx", "rtf", "htm", "xls", "p7s", "pptx",
  "pages", "rar", "ppt", "gif", "tif", "html", "msg", "asc", "tiff", "wps", "bmp", "7z", "csv", "ics", "vcf",
  "dotx", "numbers", "eps", "gz", "ods", "otf", "odp", "odg", "rtfd", "txz", "webarchive", "xml", "xps", "md", "fax",
] as const;

const INVALID_DATA_MESSAGE = "The given data was invalid.";
const FILE_TOO_LARGE_MESSAGE = `The file may not be greater than ${MAX_DOCUMENT_BYTES / 1024} kilobytes.`;

/** Lists the company's document categories (GET /v1/company/document-categories). */
export function handleListDocumentCategories(context: HandlerContext): SandboxResponse {
  const { company } = requireAuth(context);
  const data = company.documentCategories.map((category) => ({
    id: category.id,
    type: "DocumentCategory",
    attributes: { name: category.name },
  }));
  return jsonResponse(200, { success: true, data });
}

/**
 * Stores an upload of POST /v1/company/documents (multipart/form-data). Invalid fields give
 * 422 with `error_data` per field. After that, an unknown employee or category gives 404 with `code: 0`.
 */
export async function handleUploadDocument(context: HandlerContext): Promise<SandboxResponse> {
  const { company } = requireAuth(context);
  const { runtime, recording } = context;

  let fields = new Map<string, FormDataEntryValue>();
  if (mediaType(context.request) === "multipart/form-data") {
    const parsed = await readMultipartForm(context.request, MAX_DOCUMENT_BYTES + MULTIPART_OVERHEAD_BYTES);
    if (parsed.kind === "tooLarge") {
      recording.body = { kind: "text", mediaType: "multipart/form-data", text: `[rejected after ${parsed.receivedBytes} bytes]` };
      return tooLargeResponse(context);
    }
    if (parsed.kind === "invalid") {
      return v1Error(400, `The multipart body could not be parsed: ${parsed.reason}`);
    }
    fields = new Map(parsed.form.entries());
    recording.body = summarizeForm(parsed.form);
  }

  const errors = validateUploadFields(fields);
  if (errors.file?.includes(FILE_TOO_LARGE_MESSAGE) && runtime.behaviour.uploadTooLargeStatus === 413) {
    return tooLargeResponse(context);
  }
  if (Object.keys(errors).length > 0) {
    return v1Error(422, INVALID_DATA_MESSAGE, { code: 0, errorData: errors });
  }

  const employeeId = Number(fields.get("employee_id"));
  const categoryId = Number(fields.get("category_id"));
  const employee = runtime.state.findEmployee(company.id, employeeId);
  if (employee === undefined) {
    return v1Error(404, `No query results for model [Employee] ${employeeId}`, { code: 0 });
  }
  const category = company.documentCategories.find((candidate) => candidate.id === categoryId);
  if (category === undefined) {
    return v1Error(404, `No query results for model [DocumentCategory] ${categoryId}`, { code: 0 });
  }

  const file = fields.get("file") as File;
  const content = Buffer.from(await file.arrayBuffer());
  const now = runtime.clock.now();
  const comment = textField(fields, "comment");
  const document: StoredDocument = {
    id: runtime.state.allocateDocumentId(),
    companyId: company.id,
    employeeId,
    categoryId,
    title: textField(fields, "title") ?? "",
    comment: comment === undefined || comment === "" ? null : comment,
    date: textField(fields, "date") || localDate(now, company.timeZone),
    fileName: file.name,
    contentType: file.type,
    size: content.length,
    sha256: createHash("sha256").update(content).digest("hex"),
    uploadedAt: now,
  };
  runtime.state.documents.push(document);
  runtime.logger.info({ documentId: document.id, employeeId, categoryId }, "Sandbox document stored");

  const categoryObject = { id: category.id, type: "DocumentCategory", attributes: { name: category.name } };
  return jsonResponse(201, {
    success: true,
    data: {
      id: document.id,
      type: "Document",
      attributes: {
        title: document.title,
        date: document.date,
        // NOTE: whether Personio sends null or "" for a missing comment is not documented; "" fits the spec's string type.
        comment: document.comment ?? "",
        employee: { type: "Employee", attributes: shortEmployeeAttributes(employee) },
        [runtime.behaviour.documentCategoryKey]: categoryObject,
      },
    },
  });
}

function tooLargeResponse(context: HandlerContext): SandboxResponse {
  const headers = { connection: "close" };
  if (context.runtime.behaviour.uploadTooLargeStatus === 413) {
    return v1Error(413, "The uploaded file exceeds the maximum size of 30 MB.", { headers });
  }
  return v1Error(422, INVALID_DATA_MESSAGE, { code: 0, errorData: { file: [FILE_TOO_LARGE_MESSAGE] }, headers });
}

function textField(fields: Map<string, FormDataEntryValue>, name: string): string | undefined {
  const value = fields.get(name);
  return typeof value === "string" ? value : undefined;
}

/** Personio's localized message for a missing field, e.g. "Bitte geben Sie category id ein, um fortzufahren." */
function requiredMessage(field: string): string {
  return `Bitte geben Sie ${field.replaceAll("_", " ")} ein, um fortzufahren.`;
}

/** Laravel-style validation of the upload fields; returns messages by field name. */
function validateUploadFields(fields: Map<string, FormDataEntryValue>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => {
    (errors[field] ??= []).push(message);
  };

  const title = textField(fields, "title");
  if (title === undefined || title.trim() === "") fail("title", requiredMessage("title"));
  else if (title.length > 255) fail("title", "The title may not be greater than 255 characters.");

  for (const field of ["employee_id", "category_id"]) {
    const value = textField(fields, field);
    if (value === undefined || value.trim() === "") fail(field, requiredMessage(field));
    else if (!/^\d+$/.test(value.trim())) fail(field, `The ${field.replaceAll("_", " ")} must be an integer.`);
  }

  const date = textField(fields, "date");
  if (date !== undefined && date !== "" && !isCalendarDate(date)) fail("date", "The date does not match the format Y-m-d.");

  const comment = fields.get("comment");
  if (comment !== undefined && typeof comment !== "string") fail("comment", "The comment must be a string.");

  const file = fields.get("file");
  if (file === undefined || file === "") {
    fail("file", requiredMessage("file"));
  } else if (typeof file === "string") {
    fail("file", "The file must be a file.");
  } else {
    const extension = file.name.includes(".") ? (file.name.split(".").pop() ?? "").toLowerCase() : "";
    if (!(ALLOWED_DOCUMENT_EXTENSIONS as readonly string[]).includes(extension)) {
      fail("file", `The file must be a file of type: ${ALLOWED_DOCUMENT_EXTENSIONS.join(", ")}.`);
    }
    if (file.size > MAX_DOCUMENT_BYTES) fail("file", FILE_TOO_LARGE_MESSAGE);
  }
  return errors;
}

function summarizeForm(form: FormData): { kind: "multipart"; fields: Record<string, string>; files: RecordedFile[] } {
  const fields: Record<string, string> = {};
  const files: RecordedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      fields[name] = value;
    } else {
      files.push({ field: name, fileName: value.name, contentType: value.type, size: value.size });
    }
  }
  return { kind: "multipart", fields, files };
}
