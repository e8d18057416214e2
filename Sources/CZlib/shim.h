// zlib (Debian: zlib1g-dev): gzopen/gzread for .gz datasets.
#include <zlib.h>
