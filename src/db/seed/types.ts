import type { EmploymentType, JobStatus, Role, StageKind } from '../../generated/prisma/client.ts';

/** A calendar date written as `YYYY-MM-DD`. */
export type IsoDate = `${number}-${number}-${number}`;

export interface UserDefinition {
  name: string;
  email: string;
  role: Role;
}

export interface JobDefinition {
  /** Short stable key that seed ids are derived from and that applications refer to. */
  key: string;
  title: string;
  department: string;
  office: string;
  employmentType: EmploymentType;
  weeklyHours: number;
  status: JobStatus;
  /** Emails of the organization's users who manage this job. */
  managerEmails: readonly string[];
  createdOn: IsoDate;
  /** Lines of work experience printed on the CVs of this job's applicants (ASCII). */
  cvExperience: readonly string[];
}

export interface AddressDefinition {
  street: string | null;
  postalCode: string | null;
  city: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
}

export interface ApplicationDefinition {
  /** Key of the job within the same organization. */
  job: string;
  stage: StageKind;
  appliedOn: IsoDate;
  /** Day the application entered its current stage, which for HIRED is also the hire day. */
  stageEnteredOn: IsoDate;
  /** First working day, only for HIRED. Null or absent means the ATS has no start date. */
  startDate?: IsoDate | null;
  /** Title offered to the candidate. Null or absent means the job title applies. */
  offeredPositionTitle?: string | null;
}

/**
 * Files attached to a candidate: `cv` is the PDF CV, `cover-letter.txt` and
 * `cover-letter.docx` are COVER_LETTER documents, and `{ other }` is an OTHER .docx
 * document with that title.
 */
export type DocumentDefinition = 'cv' | 'cover-letter.txt' | 'cover-letter.docx' | { other: string };

export interface CandidateDefinition {
  firstName: string;
  lastName: string;
  preferredName?: string;
  /**
   * ASCII spelling of the full name in "first last" order, used for file names and PDF
   * text. Required for names that toAscii cannot transliterate (non-Latin scripts).
   */
  asciiName?: string;
  /** Stored exactly as written, including upper-case letters. */
  email: string;
  /** E.164 phone number. */
  phone: string | null;
  /** Free text as a candidate would enter it. Exports map it to HRIS values. */
  gender: string | null;
  dateOfBirth: IsoDate | null;
  address: AddressDefinition | null;
  /** ISO 3166-1 alpha-2 code or a country name, as entered. */
  nationality: string | null;
  applications: readonly ApplicationDefinition[];
  /** Attached files. Absent means a CV only. */
  documents?: readonly DocumentDefinition[];
}

export interface OrganizationDefinition {
  name: string;
  slug: string;
  createdOn: IsoDate;
  users: readonly UserDefinition[];
  jobs: readonly JobDefinition[];
  candidates: readonly CandidateDefinition[];
}
