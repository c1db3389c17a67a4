import { describe, expect, it } from 'vitest';
import { readValue } from '../../plugins/personio/employee-values.ts';
import {
  attributeListSchema,
  authResponseSchema,
  documentCategoryListSchema,
  documentUploadedSchema,
  employeeCreatedSchema,
  employeeListSchema,
  employeeUpdatedSchema,
} from '../../plugins/personio/schemas.ts';
import attributesFixture from './fixtures/attributes.json' with { type: 'json' };
import categoriesFixture from './fixtures/document-categories.json' with { type: 'json' };
import createdFixture from './fixtures/employee-created.json' with { type: 'json' };
import listFixture from './fixtures/employee-list.json' with { type: 'json' };
import uploadedFixture from './fixtures/document-uploaded.json' with { type: 'json' };

describe('response schemas', () => {
  it('parse the examples of Personio\'s v1 spec', () => {
    expect(employeeListSchema.parse(listFixture).data).toHaveLength(1);
    expect(employeeCreatedSchema.parse(createdFixture)).toEqual({ data: { id: '81723' }, meta: [] });
    expect(attributeListSchema.parse(attributesFixture).data.map((attribute) => attribute.key)).toContain('dynamic_2');
    expect(documentCategoryListSchema.parse(categoriesFixture).data[0]).toEqual({ id: '1', name: 'Certificates of employment' });
    expect(documentUploadedSchema.parse(uploadedFixture).data.attributes?.category).toEqual({ id: '1', name: 'Other documents' });
  });

  it('accept auth responses with and without scope and expiry', () => {
    expect(authResponseSchema.parse({ success: true, data: { token: 'papi-x', expires_in: 86400, scope: 'employees:read' } }).data.scope).toBe('employees:read');
    expect(authResponseSchema.parse({ success: true, data: { token: 'papi-x' } }).data.expires_in).toBeUndefined();
    expect(authResponseSchema.parse({ data: { token: 'papi-x', expires_in: '3600' } }).data.expires_in).toBe(3600);
    expect(authResponseSchema.safeParse({ success: true, data: { token: '' } }).success).toBe(false);
  });

  it.each([
    [undefined, []],
    [null, []],
    [[], []],
    [['Department "X" does not exist.'], ['Department "X" does not exist.']],
    [{ department: 'ignored' }, ['ignored']],
    [[{ field: 'office', message: 'unknown' }], ['{"field":"office","message":"unknown"}']],
  ])('normalise meta %j', (meta, expected) => {
    expect(employeeUpdatedSchema.parse({ success: true, data: { id: 1 }, meta }).meta).toEqual(expected);
  });

  it('accept category and category_id in upload responses', () => {
    const category = { id: 501, type: 'DocumentCategory', attributes: { name: 'CV' } };
    expect(documentUploadedSchema.parse({ data: { id: 9, attributes: { category_id: category } } }).data.attributes?.category_id).toEqual({ id: '501', name: 'CV' });
    expect(documentUploadedSchema.parse({ data: { id: '9' } }).data.id).toBe('9');
  });
});

describe('readValue', () => {
  it('reads weekly hours as a string or a number', () => {
    expect(readValue('number', { value: '40' })).toBe('40');
    expect(readValue('number', { value: 37.5 })).toBe('37.5');
    expect(readValue('number', { value: '40.0' })).toBe('40');
  });

  it('reads hire dates as dates or date-times', () => {
    expect(readValue('date', { value: '2014-11-09T00:00:00+01:00' })).toBe('2014-11-09');
    expect(readValue('date', { value: '2014-11-09' })).toBe('2014-11-09');
    expect(readValue('date', { value: null })).toBeNull();
  });

  it('reads org units and supervisors from nested objects', () => {
    expect(readValue('named', { value: { type: 'Department', attributes: { id: 1, name: 'IT' } } })).toBe('IT');
    expect(readValue('employee', { value: { type: 'Employee', attributes: { id: { label: 'ID', value: 2 } } } })).toBe('2');
    expect(readValue('employee', { value: { type: 'Employee', attributes: { id: 3 } } })).toBe('3');
    expect(readValue('named', { value: null })).toBeNull();
  });
});
