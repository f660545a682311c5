/* libmapsleuth: the analysis library behind the mapsleuth CLI, TUI and gdb companion. */
#ifndef MS_MAPSLEUTH_H
#define MS_MAPSLEUTH_H

#include "error.h"
#include "json.h"
#include "session.h"

#endif /* MS_MAPSLEUTH_H */
