/* Builds one file's allocator and stores from a resolved strategy_spec (see strategy.h). */
#include "strategy.h"

#include "page-compare.h"

void strategy_init(struct strategy *s, const struct strategy_spec *spec)
{
	s->spec = spec;
	page_compare_truncated = spec->quirks.truncated_compare;
	struct linux_gmap_list *fused = NULL;
	struct maple_store *maple = NULL;
	switch (spec->allocator) {
	case ALLOCATOR_BUMP:
		s->allocator = bump_allocator_new(spec->offset_space, &spec->quirks);
		break;
	case ALLOCATOR_LIST:
		s->allocator = list_allocator_new(spec->offset_space, &spec->quirks);
		break;
	case ALLOCATOR_RBTREE:
		s->allocator = rbtree_allocator_new(spec->offset_space, &spec->quirks);
		break;
	case ALLOCATOR_RANGESET:
		s->allocator = rangeset_allocator_new(spec->offset_space, &spec->quirks);
		break;
	case ALLOCATOR_AUGTREE:
		s->allocator = augtree_allocator_new(spec->offset_space, &spec->quirks);
		break;
	case ALLOCATOR_LINUX_GMAP_LIST:
		fused = linux_gmap_list_new(spec->offset_space, &spec->quirks);
		s->allocator = linux_gmap_list_allocator(fused);
		break;
	case ALLOCATOR_MAPLE:
		s->allocator = maple_store_allocator(maple_store_new(spec->offset_space, &spec->quirks, 1));
		break;
	case ALLOCATOR_MAPLE_FUSED:
		maple = maple_store_new(spec->offset_space, &spec->quirks, 2);
		s->allocator = maple_store_allocator(maple);
		break;
	}
	switch (spec->gref_store) {
	case STORE_RBTREE:
		s->grefs = rbtree_gref_store_new();
		break;
	case STORE_RANGESET:
		s->grefs = rangeset_gref_store_new();
		break;
	case STORE_XARRAY:
		s->grefs = xarray_gref_store_new();
		break;
	default:
		s->grefs = list_gref_store_new(spec->gref_allocation_order);
		break;
	}
	switch (spec->gmap_store) {
	case STORE_LIST:
		s->gmaps = list_gmap_store_new();
		break;
	case STORE_RBTREE:
		s->gmaps = rbtree_gmap_store_new(spec->linear_containment);
		break;
	case STORE_RANGESET:
		s->gmaps = rangeset_gmap_store_new();
		break;
	case STORE_AUGTREE:
		s->gmaps = augtree_gmap_store_new();
		break;
	case STORE_XARRAY:
		break; /* refused by the parser: a gref store only */
	case STORE_LINUX_GMAP_LIST:
		/* The parser only accepts this store together with the fused allocator. */
		s->gmaps = linux_gmap_list_store(fused);
		break;
	case STORE_MAPLE:
		s->gmaps = maple_store_gmaps(maple_store_new(spec->offset_space, &spec->quirks, 1));
		break;
	case STORE_MAPLE_FUSED:
		/* Likewise only with ALLOCATOR_MAPLE_FUSED: the same tree's other face. */
		s->gmaps = maple_store_gmaps(maple);
		break;
	}
}

void strategy_destroy(struct strategy *s)
{
	s->gmaps->ops->destroy(s->gmaps);
	s->grefs->ops->destroy(s->grefs);
	s->allocator->ops->destroy(s->allocator);
}

check_result strategy_check(struct strategy *s)
{
	check_result bad = s->allocator->ops->check(s->allocator);
	if (bad == NULL)
		bad = s->grefs->ops->check(s->grefs);
	if (bad == NULL)
		bad = s->gmaps->ops->check(s->gmaps);
	return bad;
}
