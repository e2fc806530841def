import type { categoryChannels } from '../../../shared/contract/categories';
import type { HandlersFor } from '../dispatcher/handler';
import { createCategory, deleteCategory, listCategories, updateCategory } from './service';

export const categoryHandlers: HandlersFor<keyof typeof categoryChannels> = {
  'categories.list': (_input, { core }) => listCategories(core),
  'categories.create': (input, { core, actor }) => createCategory(core, actor, input),
  'categories.update': (input, { core, actor }) => updateCategory(core, actor, input),
  'categories.delete': ({ id }, { core, actor }) => deleteCategory(core, actor, id),
};
