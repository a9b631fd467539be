/** Each field's storage class: what the dialect's type mapping turns into a column type. */
import type { ColumnKind } from '../../shared/dialect/index.ts';
import { isMultiValued, type Field } from '../model.ts';

export function columnKindOf(field: Field): ColumnKind {
  switch (field.type) {
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'json':
      return 'json';
    case 'select':
    case 'relation':
    case 'file':
      return isMultiValued(field) ? 'jsonList' : 'text';
    case 'text':
      return field.primaryKey ? 'textPrimaryKey' : 'text';
    default:
      return 'text';
  }
}
