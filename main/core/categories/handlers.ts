import type { categoryChannels } from '../../../shared/contract/categories';
import { inTransaction } from '../context';
import type { HandlersFor } from '../dispatcher/handler';
import { createCategory, deleteCategory, listCategories, updateCategory } from './service';

export const categoryHandlers: HandlersFor<keyof typeof categoryChannels> = {
  'categories.list': (_input, { core }) => listCategories(core),
  'categories.create': (input, { core, actor }) => inTransaction(core, () => createCategory(core, actor, input)),
  'categories.update': (input, { core, actor }) => inTransaction(core, () => updateCategory(core, actor, input)),
  'categories.delete': ({ id }, { core, actor }) => inTransaction(core, () => deleteCategory(core, actor, id)),
};
