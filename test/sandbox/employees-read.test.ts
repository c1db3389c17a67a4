import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACME,
  DEFAULT_COMPANIES_CONFIG,
  DEFAULT_CREDENTIAL,
  type CompaniesConfigInput,
  type RunningSandbox,
} from "../../plugins/personio/sandbox/index.ts";
import { attributeValues, SandboxClient, startTestSandbox, v1Body } from "./support/client.ts";

/** Acme with 110 extra employees (2001–2110), plus a second company that must stay invisible. */
function largeConfig(): CompaniesConfigInput {
  const acme = DEFAULT_COMPANIES_CONFIG.companies[0]!;
  const extra = Array.from({ length: 110 }, (_, index) => ({
    id: 2001 + index,
    email: `employee${index + 1}@acme.example`,
    firstName: `Employee${index + 1}`,
    lastName: "Bulk",
  }));
  return {
    companies: [
      { ...acme, employees: [...(acme.employees ?? []), ...extra] },
      {
        id: 2,
        name: "Other Company AG",
        employees: [{ id: 9001, email: "katrin.vogel@other.example", firstName: "Katrin", lastName: "Andere" }],
      },
    ],
    credentials: [
      DEFAULT_CREDENTIAL,
      { clientId: "other-company", clientSecret: "s", companyId: 2, rights: { employees: { read: true } } },
      {
        clientId: "names-only",
        clientSecret: "s",
        companyId: ACME.companyId,
        rights: { employees: { read: true } },
        readableAttributes: ["first_name", "last_name", "dynamic_4002"],
      },
    ],
  };
}

const TOTAL_ACME_EMPLOYEES = 120;

let sandbox: RunningSandbox;
let client: SandboxClient;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ config: largeConfig() });
  client = new SandboxClient(sandbox.url);
  token = await client.token();
});

afterAll(async () => {
  await sandbox.stop();
});

function ids(response: { body: unknown }): number[] {
  return ((v1Body(response as never).data ?? []) as unknown[]).map((employee) => attributeValues(employee)["id"] as number);
}

describe("GET /v1/company/employees pagination", () => {
  it("returns 50 records by default", async () => {
    const response = await client.get("/v1/company/employees", { token });
    const body = v1Body(response);

    expect(ids(response)).toHaveLength(50);
    expect(body.limit).toBe(50);
    expect(body.offset).toBe(0);
    expect(body.metadata).toEqual({ total_elements: TOTAL_ACME_EMPLOYEES, current_page: 0, total_pages: 3 });
  });

  it("treats offset as a record offset with 0-based pages", async () => {
    const response = await client.get("/v1/company/employees?limit=20&offset=40", { token });
    const body = v1Body(response);

    expect(ids(response)[0]).toBe(2031);
    expect(ids(response)).toHaveLength(20);
    expect(body.metadata).toEqual({ total_elements: TOTAL_ACME_EMPLOYEES, current_page: 2, total_pages: 6 });
  });

  it("pages through every employee exactly once", async () => {
    const seen: number[] = [];
    let offset = 0;
    for (let page = 0; page < 10; page += 1) {
      const response = await client.get(`/v1/company/employees?limit=100&offset=${offset}`, { token });
      seen.push(...ids(response));
      const metadata = v1Body(response).metadata!;
      if (metadata.current_page >= metadata.total_pages - 1) break;
      offset += 100;
    }

    expect(seen).toHaveLength(TOTAL_ACME_EMPLOYEES);
    expect(new Set(seen).size).toBe(TOTAL_ACME_EMPLOYEES);
  });

  it("returns an empty page past the end", async () => {
    const response = await client.get("/v1/company/employees?limit=100&offset=500", { token });

    expect(ids(response)).toEqual([]);
    expect(v1Body(response).metadata).toEqual({ total_elements: TOTAL_ACME_EMPLOYEES, current_page: 5, total_pages: 2 });
  });

  it("rejects limit above 100 with 400", async () => {
    const response = await client.get("/v1/company/employees?limit=101", { token });

    expect(response.status).toBe(400);
    expect(v1Body(response).error?.message).toBe("The limit may not be greater than 100.");
  });

  it("clamps limit above 100 when configured", async () => {
    sandbox.control.setBehaviour({ limitAboveMaximum: "clamp" });
    try {
      const response = await client.get("/v1/company/employees?limit=200", { token });

      expect(response.status).toBe(200);
      expect(v1Body(response).limit).toBe(100);
      expect(ids(response)).toHaveLength(100);
    } finally {
      sandbox.control.setBehaviour({ limitAboveMaximum: "reject" });
    }
  });

  it.each(["0", "-1", "ten", "1.5"])("rejects limit=%s with 400", async (limit) => {
    const response = await client.get(`/v1/company/employees?limit=${limit}`, { token });

    expect(response.status).toBe(400);
  });

  it("rejects a negative offset with 400", async () => {
    const response = await client.get("/v1/company/employees?offset=-5", { token });

    expect(response.status).toBe(400);
  });
});

describe("GET /v1/company/employees filters", () => {
  it("finds an employee by exact email", async () => {
    const response = await client.get("/v1/company/employees?email=jonas.becker@acme.example", { token });

    expect(ids(response)).toEqual([ACME.employees.jonasBecker]);
    expect(v1Body(response).metadata?.total_elements).toBe(1);
  });

  it("matches email ignoring case by default", async () => {
    const lower = await client.get("/v1/company/employees?email=chidi.okafor@acme.example", { token });
    const upper = await client.get("/v1/company/employees?email=JONAS.BECKER@ACME.EXAMPLE", { token });

    expect(ids(lower)).toEqual([ACME.employees.chidiOkafor]);
    expect(ids(upper)).toEqual([ACME.employees.jonasBecker]);
  });

  it("matches email case-sensitively when configured", async () => {
    sandbox.control.setBehaviour({ emailFilter: "exact" });
    try {
      const lower = await client.get("/v1/company/employees?email=chidi.okafor@acme.example", { token });
      const stored = await client.get("/v1/company/employees?email=Chidi.Okafor@acme.example", { token });

      expect(ids(lower)).toEqual([]);
      expect(ids(stored)).toEqual([ACME.employees.chidiOkafor]);
    } finally {
      sandbox.control.setBehaviour({ emailFilter: "caseInsensitive" });
    }
  });

  it("does not match partial emails", async () => {
    const response = await client.get("/v1/company/employees?email=jonas.becker", { token });

    expect(ids(response)).toEqual([]);
    expect(v1Body(response).metadata?.total_elements).toBe(0);
  });

  it("hides employees of other companies", async () => {
    const otherToken = await client.token("other-company", "s");

    const fromAcme = await client.get("/v1/company/employees?email=katrin.vogel@other.example", { token });
    const fromOther = await client.get("/v1/company/employees", { token: otherToken });
    const crossCompanyGet = await client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token: otherToken });

    expect(ids(fromAcme)).toEqual([]);
    expect(ids(fromOther)).toEqual([9001]);
    expect(crossCompanyGet.status).toBe(404);
  });

  it("ignores email, limit and offset with updated_since", async () => {
    sandbox.control.setClock(Date.parse("2030-01-01T00:00:00Z"));
    try {
      // The earlier token expired with the jump in time.
      const laterToken = await client.token();
      await client.patch(`/v1/company/employees/${ACME.employees.aylinYildiz}`, {
        token: laterToken,
        json: { employee: { position: "Director of Engineering" } },
      });
      const response = await client.get("/v1/company/employees?updated_since=2029-12-31&email=nobody@acme.example&limit=1&offset=3", {
        token: laterToken,
      });
      const byAttribute = await client.get("/v1/company/employees?updated_since=2029-12-31T00:00:00&attributes[]=last_name", {
        token: laterToken,
      });

      expect(ids(response)).toEqual([ACME.employees.aylinYildiz]);
      expect(ids(byAttribute)).toEqual([]);
    } finally {
      sandbox.control.setClock(Date.now);
    }
  });
});

describe("employee attributes", () => {
  it("renders attribute objects with Personio's value shapes", async () => {
    const response = await client.get(`/v1/company/employees/${ACME.employees.aylinYildiz}`, { token });
    const attributes = (v1Body(response).data as { attributes: Record<string, { label: string; value: unknown; type: string; universal_id: string | null }> }).attributes;

    expect(attributes["id"]).toEqual({ label: "ID", value: ACME.employees.aylinYildiz, type: "integer", universal_id: "id" });
    expect(attributes["last_name"]?.value).toBe("Yıldız");
    expect(attributes["weekly_working_hours"]?.value).toBe("40");
    expect(attributes["hire_date"]).toMatchObject({ value: "2019-02-15T00:00:00+01:00", type: "date" });
    expect(attributes["department"]?.value).toEqual({ type: "Department", attributes: { id: ACME.departments.engineering, name: "Engineering" } });
    expect(attributes["office"]?.value).toEqual({ type: "Office", attributes: { id: ACME.offices.munich, name: "Munich" } });
    expect(attributes["subcompany"]?.value).toEqual({ type: "Subcompany", attributes: { id: ACME.subcompanies.acmeGmbh, name: "Acme GmbH" } });
    expect(attributes["supervisor"]?.value).toMatchObject({ type: "Employee", attributes: { id: { value: ACME.employees.jonasBecker } } });
    expect(attributes["dynamic_4001"]).toEqual({ label: "Language skills", value: "German, Turkish, English", type: "tags", universal_id: null });
    expect(attributes["created_at"]?.value).toBe("2019-01-20T10:00:00+01:00");
  });

  it("uses the summer offset for summer dates", async () => {
    const response = await client.get(`/v1/company/employees/${ACME.employees.sorenOstergard}`, { token });

    expect(attributeValues(v1Body(response).data)["hire_date"]).toBe("2021-06-01T00:00:00+02:00");
  });

  it("renders the CEO's supervisor as null", async () => {
    const response = await client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token });

    expect(attributeValues(v1Body(response).data)["supervisor"]).toBeNull();
  });

  it("projects attributes[] and always keeps id", async () => {
    const response = await client.get(`/v1/company/employees?email=zoe.mueller@acme.example&attributes[]=first_name&attributes[]=status`, { token });
    const employee = (v1Body(response).data as unknown[])[0];

    expect(Object.keys(attributeValues(employee)).sort()).toEqual(["first_name", "id", "status"]);
    expect(attributeValues(employee)["status"]).toBe("leave");
  });

  it("projects attributes[] on get by id", async () => {
    const response = await client.get(`/v1/company/employees/${ACME.employees.zoeMuller}?attributes[]=email`, { token });

    expect(Object.keys(attributeValues(v1Body(response).data)).sort()).toEqual(["email", "id"]);
  });

  it("omits attributes outside the whitelist silently", async () => {
    const limitedToken = await client.token("names-only", "s");

    const list = await client.get(`/v1/company/employees?limit=1`, { token: limitedToken });
    const projected = await client.get(`/v1/company/employees?limit=1&attributes[]=email&attributes[]=first_name`, { token: limitedToken });

    expect(list.status).toBe(200);
    expect(Object.keys(attributeValues((v1Body(list).data as unknown[])[0])).sort()).toEqual(["dynamic_4002", "first_name", "id", "last_name"]);
    expect(Object.keys(attributeValues((v1Body(projected).data as unknown[])[0])).sort()).toEqual(["first_name", "id"]);
  });

  it("answers an unknown id with the German 404", async () => {
    const response = await client.get("/v1/company/employees/424242", { token });

    expect(response.status).toBe(404);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 404, message: "Es ist ein Problem aufgetreten " } });
  });
});

describe("GET /v1/company/employees/attributes", () => {
  it("lists every attribute with options for list and tags", async () => {
    const response = await client.get("/v1/company/employees/attributes", { token });
    const data = v1Body(response).data as Array<{ key: string; type: string; options: string[]; universal_id: string | null }>;
    const byKey = new Map(data.map((item) => [item.key, item]));

    expect(byKey.get("first_name")).toEqual({ key: "first_name", label: "First name", type: "standard", universal_id: "first_name", options: [] });
    expect(byKey.get("dynamic_4002")).toMatchObject({ type: "list", universal_id: null, options: ["XS", "S", "M", "L", "XL"] });
    expect(byKey.get("dynamic_4001")?.options).toContain("Turkish");
    expect(byKey.get("dynamic_4003")).toMatchObject({ type: "date", universal_id: "date_of_birth", options: [] });
  });

  it("serves the same list under /custom-attributes", async () => {
    const primary = await client.get("/v1/company/employees/attributes", { token });
    const alias = await client.get("/v1/company/employees/custom-attributes", { token });

    expect(alias.status).toBe(200);
    expect(alias.body).toEqual(primary.body);
  });

  it("lists only the credential's readable attributes", async () => {
    const limitedToken = await client.token("names-only", "s");

    const response = await client.get("/v1/company/employees/attributes", { token: limitedToken });
    const keys = (v1Body(response).data as Array<{ key: string }>).map((item) => item.key);

    expect(keys).toEqual(["id", "first_name", "last_name", "dynamic_4002"]);
  });
});
