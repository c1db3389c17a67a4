import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { attributeValues, SandboxClient, startTestSandbox, v1Body } from "./support/client.ts";

const TODAY = "2025-03-03";

let sandbox: RunningSandbox;
let client: SandboxClient;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => Date.parse(`${TODAY}T09:00:00Z`) });
  client = new SandboxClient(sandbox.url);
});

beforeEach(async () => {
  sandbox.control.reset();
  token = await client.token();
});

afterAll(async () => {
  await sandbox.stop();
});

function createJson(employee: Record<string, unknown>) {
  return client.post("/v1/company/employees", { token, json: { employee } });
}

function createdId(response: { body: unknown }): number {
  return (v1Body(response as never).data as { id: number }).id;
}

const NEW_HIRE = { email: "ada.lovelace@acme.example", first_name: "Ada", last_name: "Lovelace" };

describe("POST /v1/company/employees", () => {
  it("creates from a JSON employee object", async () => {
    const response = await createJson({
      ...NEW_HIRE,
      gender: "female",
      position: "Backend Engineer",
      department: "Engineering",
      office: "Berlin",
      subcompany: "Acme GmbH",
      hire_date: "2025-04-01",
      weekly_working_hours: 40,
      supervisor_id: ACME.employees.aylinYildiz,
      custom_attributes: { dynamic_4005: "cand-123", dynamic_4001: "English,German" },
    });
    const id = createdId(response);
    const stored = sandbox.control.employee(id);

    expect(response.status).toBe(200);
    expect(v1Body(response)).toEqual({ success: true, data: { id, message: "success" } });
    expect(stored).toMatchObject({
      email: "ada.lovelace@acme.example",
      departmentId: ACME.departments.engineering,
      officeId: ACME.offices.berlin,
      subcompanyId: ACME.subcompanies.acmeGmbh,
      supervisorId: ACME.employees.aylinYildiz,
      weeklyWorkingHours: 40,
      hireDate: "2025-04-01",
      status: "onboarding",
      customAttributes: { dynamic_4005: "cand-123", dynamic_4001: ["English", "German"] },
    });
  });

  it("creates from employee[...] form fields", async () => {
    const response = await client.post("/v1/company/employees", {
      token,
      form: {
        "employee[email]": "grace.hopper@acme.example",
        "employee[first_name]": "Grace",
        "employee[last_name]": "Hopper",
        "employee[gender]": "female",
        "employee[department]": "Engineering",
        "employee[weekly_working_hours]": "32",
        "employee[supervisor_id]": String(ACME.employees.jonasBecker),
        "employee[custom_attributes][dynamic_4002]": "M",
      },
    });
    const stored = sandbox.control.employee(createdId(response));

    expect(response.status).toBe(200);
    expect(stored).toMatchObject({
      firstName: "Grace",
      weeklyWorkingHours: 32,
      supervisorId: ACME.employees.jonasBecker,
      departmentId: ACME.departments.engineering,
      customAttributes: { dynamic_4002: "M" },
    });
  });

  it("derives status from hire_date when status is missing", async () => {
    const past = await createJson({ ...NEW_HIRE, email: "past@acme.example", hire_date: "2024-01-01" });
    const today = await createJson({ ...NEW_HIRE, email: "today@acme.example", hire_date: TODAY });
    const future = await createJson({ ...NEW_HIRE, email: "future@acme.example", hire_date: "2025-03-04" });
    const explicit = await createJson({ ...NEW_HIRE, email: "explicit@acme.example", hire_date: "2025-03-04", status: "active" });

    expect(sandbox.control.employee(createdId(past))?.status).toBe("active");
    expect(sandbox.control.employee(createdId(today))?.status).toBe("active");
    expect(sandbox.control.employee(createdId(future))?.status).toBe("onboarding");
    expect(sandbox.control.employee(createdId(explicit))?.status).toBe("active");
  });

  it("makes the new employee visible to the email filter", async () => {
    await createJson(NEW_HIRE);

    const response = await client.get("/v1/company/employees?email=ada.lovelace@acme.example", { token });

    expect(attributeValues((v1Body(response).data as unknown[])[0])).toMatchObject({ first_name: "Ada", last_name: "Lovelace", status: "active" });
  });

  it("ignores unknown department, office and subcompany with meta notices", async () => {
    const response = await createJson({ ...NEW_HIRE, department: "Research", office: "Paris", subcompany: "Acme Inc." });
    const stored = sandbox.control.employee(createdId(response));

    expect(response.status).toBe(200);
    expect(v1Body(response).meta).toEqual([
      'Department "Research" does not exist and was ignored.',
      'Office "Paris" does not exist and was ignored.',
      'Subcompany "Acme Inc." does not exist and was ignored.',
    ]);
    expect(stored).toMatchObject({ departmentId: null, officeId: null, subcompanyId: null });
  });

  it("matches department names exactly", async () => {
    const response = await createJson({ ...NEW_HIRE, department: "engineering" });

    expect(v1Body(response).meta).toHaveLength(1);
    expect(sandbox.control.employee(createdId(response))?.departmentId).toBeNull();
  });

  it("ignores unknown and invalid custom attributes with notices", async () => {
    const response = await createJson({
      ...NEW_HIRE,
      custom_attributes: { dynamic_9999: "x", dynamic_4002: "XXL", dynamic_4003: "21.07.1990", dynamic_4004: "DE89 3704 0044 0532 0130 00" },
    });
    const stored = sandbox.control.employee(createdId(response));

    expect(v1Body(response).meta).toHaveLength(3);
    expect(stored?.customAttributes).toEqual({ dynamic_4004: "DE89 3704 0044 0532 0130 00" });
  });

  it("rejects an unknown supervisor with 422", async () => {
    const response = await createJson({ ...NEW_HIRE, supervisor_id: 1 });

    expect(response.status).toBe(422);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 422, message: "Supervisor with ID 1 not found" } });
    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.email)).toBe(false);
  });

  it.each([
    ["email", "The email field is required."],
    ["first_name", "The first name field is required."],
    ["last_name", "The last name field is required."],
  ])("rejects a missing %s with 422", async (field, message) => {
    const employee: Record<string, unknown> = { ...NEW_HIRE };
    delete employee[field];

    const response = await createJson(employee);

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.message).toBe(message);
  });

  it.each([
    ["hire_date", "01.04.2025", "The hire date does not match the format Y-m-d."],
    ["hire_date", "2025-02-30", "The hire date does not match the format Y-m-d."],
    ["gender", "Male", "The selected gender is invalid."],
    ["status", "hired", "The selected status is invalid."],
    ["email", "not-an-email", "The email must be a valid email address."],
    ["weekly_working_hours", "forty", "The weekly working hours must be a number."],
  ])("rejects %s=%s with 422", async (field, value, message) => {
    const response = await createJson({ ...NEW_HIRE, [field]: value });

    expect(response.status).toBe(422);
    expect(v1Body(response).error).toEqual({ code: 422, message });
  });

  it("rejects a body without the employee wrapper", async () => {
    const response = await client.post("/v1/company/employees", { token, json: NEW_HIRE });

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.message).toBe("The email field is required.");
  });

  it("rejects a duplicate email with 422 by default", async () => {
    const response = await createJson({ ...NEW_HIRE, email: "JONAS.BECKER@acme.example" });

    expect(response.status).toBe(422);
    expect(v1Body(response).error).toEqual({ code: 422, message: "The email has already been taken." });
    expect(sandbox.control.employees().filter((employee) => employee.email.toLowerCase() === "jonas.becker@acme.example")).toHaveLength(1);
  });

  it("creates a second employee for a duplicate email when configured", async () => {
    sandbox.control.setBehaviour({ duplicateEmail: "create" });

    const response = await createJson({ ...NEW_HIRE, email: "jonas.becker@acme.example" });
    const lookup = await client.get("/v1/company/employees?email=jonas.becker@acme.example", { token });

    expect(response.status).toBe(200);
    expect(v1Body(lookup).metadata?.total_elements).toBe(2);
  });

  it("rejects invalid JSON with 400", async () => {
    const response = await fetch(`${sandbox.url}/v1/company/employees`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"employee": {',
    });

    expect(response.status).toBe(400);
  });

  it("rejects other media types with 415", async () => {
    const response = await fetch(`${sandbox.url}/v1/company/employees`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" },
      body: "<employee/>",
    });

    expect(response.status).toBe(415);
  });

  it("requires the Employees Write right", async () => {
    sandbox.control.addCredential({ clientId: "reader", clientSecret: "s", companyId: ACME.companyId, rights: { employees: { read: true } } });
    const readerToken = await client.token("reader", "s");

    const response = await client.post("/v1/company/employees", { token: readerToken, json: { employee: NEW_HIRE } });

    expect(response.status).toBe(403);
    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.email)).toBe(false);
  });
});

describe("PATCH /v1/company/employees/{id}", () => {
  const path = `/v1/company/employees/${ACME.employees.oliverSmithJones}`;

  it("updates fields and returns meta []", async () => {
    const response = await client.patch(path, {
      token,
      json: { employee: { position: "Sales Lead", department: "Marketing", weekly_working_hours: "40", status: "leave" } },
    });
    const stored = sandbox.control.employee(ACME.employees.oliverSmithJones);

    expect(response.status).toBe(200);
    expect(v1Body(response)).toEqual({ success: true, data: { id: ACME.employees.oliverSmithJones }, meta: [] });
    expect(stored).toMatchObject({ position: "Sales Lead", departmentId: ACME.departments.marketing, weeklyWorkingHours: 40, status: "leave" });
  });

  it("updates from form fields", async () => {
    const response = await client.patch(path, { token, form: { "employee[position]": "Sales Director", "employee[office]": "Madrid" } });

    expect(response.status).toBe(200);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)).toMatchObject({ position: "Sales Director", officeId: ACME.offices.madrid });
  });

  it("ignores email silently by default", async () => {
    const response = await client.patch(path, { token, json: { employee: { email: "new@acme.example", position: "AE II" } } });

    expect(response.status).toBe(200);
    expect(v1Body(response).meta).toEqual([]);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)).toMatchObject({ email: "oliver.smith-jones@acme.example", position: "AE II" });
  });

  it("reports an ignored email in meta when configured", async () => {
    sandbox.control.setBehaviour({ emailOnUpdate: "notice" });

    const response = await client.patch(path, { token, json: { employee: { email: "new@acme.example" } } });

    expect(v1Body(response).meta).toEqual(["The email cannot be updated and was ignored."]);
  });

  it("rejects an email change with 422 when configured", async () => {
    sandbox.control.setBehaviour({ emailOnUpdate: "reject" });

    const response = await client.patch(path, { token, json: { employee: { email: "new@acme.example" } } });

    expect(response.status).toBe(422);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)?.email).toBe("oliver.smith-jones@acme.example");
  });

  it("ignores fields that are not updatable", async () => {
    const response = await client.patch(path, { token, json: { employee: { employment_type: "external", id: 1 } } });

    expect(response.status).toBe(200);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)?.employmentType).toBe("internal");
  });

  it("reports unknown department names in meta", async () => {
    const response = await client.patch(path, { token, json: { employee: { department: "Legal" } } });

    expect(v1Body(response).meta).toEqual(['Department "Legal" does not exist and was ignored.']);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)?.departmentId).toBe(ACME.departments.sales);
  });

  it("unsets the supervisor with null", async () => {
    const response = await client.patch(path, { token, json: { employee: { supervisor_id: null } } });

    expect(response.status).toBe(200);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)?.supervisorId).toBeNull();
  });

  it("rejects the employee as their own supervisor", async () => {
    const response = await client.patch(path, { token, json: { employee: { supervisor_id: ACME.employees.oliverSmithJones } } });

    expect(response.status).toBe(422);
  });

  it("rejects an unknown supervisor", async () => {
    const response = await client.patch(path, { token, json: { employee: { supervisor_id: 77 } } });

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.message).toBe("Supervisor with ID 77 not found");
  });

  it("keeps names when sent blank", async () => {
    const response = await client.patch(path, { token, json: { employee: { first_name: "", last_name: "Jones" } } });

    expect(response.status).toBe(200);
    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)).toMatchObject({ firstName: "Oliver", lastName: "Jones" });
  });

  it("does not change status when hire_date changes", async () => {
    await client.patch(path, { token, json: { employee: { hire_date: "2030-01-01" } } });

    expect(sandbox.control.employee(ACME.employees.oliverSmithJones)).toMatchObject({ hireDate: "2030-01-01", status: "active" });
  });

  it("updates last_modified_at", async () => {
    const before = sandbox.control.employee(ACME.employees.oliverSmithJones)?.lastModifiedAt;

    await client.patch(path, { token, json: { employee: { position: "Changed" } } });
    const response = await client.get(path, { token });

    expect(before).toBeLessThan(Date.parse(`${TODAY}T09:00:00Z`));
    expect(attributeValues(v1Body(response).data)["last_modified_at"]).toBe("2025-03-03T10:00:00+01:00");
  });

  it("answers an unknown id with 404", async () => {
    const response = await client.patch("/v1/company/employees/999999", { token, json: { employee: { position: "x" } } });

    expect(response.status).toBe(404);
  });
});
