import type {
  DocumentUpload,
  EmployeeRecord,
  EmployeeWrite,
  HrisDocument,
  HrisResult,
  HrisSession,
  NewHire,
  ReferenceData,
  VerificationReport,
} from '../../src/hris/index.ts';
import { createEmployee, type WriteContext } from './create-employee.ts';
import { findEmployeeByEmail } from './employee-lookup.ts';
import { loadReferenceData } from './reference-data.ts';
import { updateEmployee } from './update-employee.ts';
import { uploadDocument } from './upload-document.ts';
import { verifyCredential } from './verify.ts';

/** One Personio connection: a credential's HTTP client plus the company subdomain. */
export class PersonioSession implements HrisSession {
  constructor(
    private readonly context: WriteContext,
    private readonly subdomain: string,
  ) {}

  verify(): Promise<HrisResult<VerificationReport>> {
    return verifyCredential(this.context.client);
  }

  referenceData(): Promise<HrisResult<ReferenceData>> {
    return loadReferenceData(this.context.client, this.context.logger);
  }

  findEmployeeByEmail(email: string): Promise<HrisResult<EmployeeRecord | null>> {
    return findEmployeeByEmail(this.context.client, email, this.context.logger);
  }

  createEmployee(hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>> {
    return createEmployee(this.context, hire, reference);
  }

  updateEmployee(employeeId: string, hire: NewHire, reference: ReferenceData): Promise<HrisResult<EmployeeWrite>> {
    return updateEmployee(this.context, employeeId, hire, reference);
  }

  uploadDocument(employeeId: string, document: HrisDocument, reference: ReferenceData): Promise<HrisResult<DocumentUpload>> {
    return uploadDocument(this.context.client, employeeId, document, reference);
  }

  /**
   * NOTE: Personio is moving its web app from `.personio.de` to `.personio.com`. Links use `.de`,
   * which may stop working if Personio retires that web domain.
   */
  employeeUrl(employeeId: string): string | null {
    if (!/^\d+$/.test(employeeId)) {
      return null;
    }
    return `https://${this.subdomain}.personio.de/staff/details/${employeeId}`;
  }
}
