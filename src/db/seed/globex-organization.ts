import type { CandidateDefinition, JobDefinition, OrganizationDefinition, UserDefinition } from './types.ts';

// The second organization "Globex Recruiting". Zoë Müller, Li Na and José Álvarez applied
// here with the same email addresses as in the demo organization, which shows that
// candidate emails are unique per organization, not across organizations.

const users: UserDefinition[] = [
  { name: 'Grace Hopper', email: 'grace.hopper@globex.example', role: 'ADMIN' },
  { name: 'Marcus Reed', email: 'marcus.reed@globex.example', role: 'HIRING_MANAGER' },
  { name: 'Aisha Khan', email: 'aisha.khan@globex.example', role: 'RECRUITER' },
  { name: 'Tom Novak', email: 'tom.novak@globex.example', role: 'INTERVIEWER' },
];

const jobs: JobDefinition[] = [
  {
    key: 'data-analyst',
    title: 'Data Analyst',
    department: 'Data',
    office: 'Remote',
    employmentType: 'FULL_TIME',
    weeklyHours: 40,
    status: 'OPEN',
    managerEmails: ['marcus.reed@globex.example'],
    createdOn: '2026-08-10',
    cvExperience: [
      'Data analyst, 4 years: SQL, Python and dashboarding',
      'Built the weekly revenue report used by the executive team',
    ],
  },
  {
    key: 'office-manager',
    title: 'Office Manager',
    department: 'Operations',
    office: 'London',
    employmentType: 'PART_TIME',
    weeklyHours: 20,
    status: 'OPEN',
    managerEmails: ['marcus.reed@globex.example'],
    createdOn: '2026-08-24',
    cvExperience: [
      'Office manager, 6 years in offices of 50 to 120 people',
      'Ran vendor contracts, facilities and travel booking',
    ],
  },
];

const candidates: CandidateDefinition[] = [
  {
    firstName: 'Zoë',
    lastName: 'Müller',
    asciiName: 'Zoe Mueller',
    email: 'zoe.mueller@example.com',
    phone: '+4915123456701',
    gender: 'weiblich',
    dateOfBirth: '1991-03-14',
    address: { street: 'Torstraße 12', postalCode: '10119', city: 'Berlin', country: 'DE' },
    nationality: 'Germany',
    applications: [{ job: 'data-analyst', stage: 'INTERVIEW', appliedOn: '2026-09-01', stageEnteredOn: '2026-10-02' }],
  },
  {
    firstName: '娜',
    lastName: '李',
    asciiName: 'Li Na',
    email: 'li.na+jobs@example.com',
    phone: '+8613800138000',
    gender: 'F',
    dateOfBirth: '1994-06-21',
    address: { street: 'Kastanienallee 7', postalCode: '10435', city: 'Berlin', country: 'DE' },
    nationality: 'China',
    applications: [
      { job: 'data-analyst', stage: 'HIRED', appliedOn: '2026-08-14', stageEnteredOn: '2026-09-25', startDate: '2026-11-02' },
    ],
  },
  {
    firstName: 'José',
    lastName: 'Álvarez',
    email: 'jose.alvarez@example.org',
    phone: '+34612345678',
    gender: 'male',
    dateOfBirth: '1988-11-02',
    address: { street: 'Calle de Alcalá 45', postalCode: '28014', city: 'Madrid', country: 'ES' },
    nationality: 'ES',
    applications: [
      {
        job: 'office-manager',
        stage: 'HIRED',
        appliedOn: '2026-08-26',
        stageEnteredOn: '2026-09-30',
        startDate: '2026-11-16',
        offeredPositionTitle: 'Senior Office Manager',
      },
    ],
  },
  {
    firstName: 'Priya',
    lastName: 'Nair',
    email: 'priya.nair@example.com',
    phone: '+447700900111',
    gender: 'female',
    dateOfBirth: '1995-01-26',
    address: { street: '40 Mare Street', postalCode: 'E8 4RT', city: 'London', country: 'GB' },
    nationality: 'IN',
    applications: [
      { job: 'data-analyst', stage: 'HIRED', appliedOn: '2026-08-18', stageEnteredOn: '2026-10-09', startDate: null },
    ],
  },
  {
    firstName: 'Tomás',
    lastName: 'Herrera',
    email: 'tomas.herrera@example.com',
    phone: '+56912345678',
    gender: null,
    dateOfBirth: null,
    address: null,
    nationality: 'CL',
    applications: [{ job: 'data-analyst', stage: 'APPLIED', appliedOn: '2026-11-30', stageEnteredOn: '2026-11-30' }],
    documents: [],
  },
  {
    firstName: 'Yasmin',
    lastName: 'Haddad',
    email: 'yasmin.haddad@example.com',
    phone: '+447700900222',
    gender: 'female',
    dateOfBirth: '1990-08-08',
    address: { street: '15 Essex Road', postalCode: 'N1 2SF', city: 'London', country: 'GB' },
    nationality: 'GB',
    applications: [
      { job: 'office-manager', stage: 'HIRED', appliedOn: '2026-08-27', stageEnteredOn: '2026-10-15', startDate: '2026-12-01' },
    ],
  },
  {
    firstName: 'Erik',
    lastName: 'Svensson',
    email: 'erik.svensson@example.com',
    phone: '+46709876543',
    gender: 'male',
    dateOfBirth: '1984-05-14',
    address: { street: '2 Borough High Street', postalCode: 'SE1 9QQ', city: 'London', country: 'GB' },
    nationality: 'SE',
    applications: [{ job: 'office-manager', stage: 'SCREENING', appliedOn: '2026-11-18', stageEnteredOn: '2026-11-24' }],
  },
  {
    firstName: 'Nadia',
    lastName: 'Petrenko',
    email: 'nadia.petrenko@example.com',
    phone: '+380501234567',
    gender: 'female',
    dateOfBirth: '1993-09-09',
    address: null,
    nationality: 'UA',
    applications: [{ job: 'data-analyst', stage: 'REJECTED', appliedOn: '2026-08-20', stageEnteredOn: '2026-09-04' }],
  },
  {
    firstName: 'Charles',
    lastName: 'Okoro',
    email: 'charles.okoro@example.com',
    phone: '+2348031234567',
    gender: 'male',
    dateOfBirth: '1987-07-17',
    address: { street: '60 Old Kent Road', postalCode: 'SE1 4NP', city: 'London', country: 'GB' },
    nationality: 'NG',
    applications: [
      {
        job: 'office-manager',
        stage: 'OFFER',
        appliedOn: '2026-10-01',
        stageEnteredOn: '2026-11-27',
        offeredPositionTitle: 'Office Manager',
      },
    ],
  },
  {
    firstName: 'Mei Lin',
    lastName: 'Tan',
    email: 'meilin.tan@example.com',
    phone: '+6591234567',
    gender: 'female',
    dateOfBirth: '1997-12-03',
    address: { street: '12 Orchard Road', postalCode: '238826', city: 'Singapore', country: 'SG' },
    nationality: 'Singapore',
    applications: [{ job: 'data-analyst', stage: 'SCREENING', appliedOn: '2026-11-20', stageEnteredOn: '2026-11-26' }],
  },
];

export const GLOBEX_ORGANIZATION_DEFINITION: OrganizationDefinition = {
  name: 'Globex Recruiting',
  slug: 'globex',
  createdOn: '2026-02-02',
  users,
  jobs,
  candidates,
};
