/* The process-wide tree order switch (page-compare.h). */
#include "page-compare.h"

bool page_compare_truncated = false;
