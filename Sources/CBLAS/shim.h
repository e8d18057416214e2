// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; cblas.h sits in the openblas-pthread
// include folder that pkg-config's `openblas` entry adds).
#include <cblas.h>
