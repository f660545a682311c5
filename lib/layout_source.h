/* Where a layout (of runtime structures or of a map type) came from; shared by go_runtime and map_layout. */
#ifndef MS_LAYOUT_SOURCE_H
#define MS_LAYOUT_SOURCE_H

enum ms_layout_source {
	MS_LAYOUT_NONE = 0,	/**< unknown: neither DWARF nor a table for this version */
	MS_LAYOUT_DWARF,	/**< the module's DWARF */
	MS_LAYOUT_BUILTIN,	/**< built-in tables chosen by the Go version (stripped binaries) */
	MS_LAYOUT_COMPUTED,	/**< per map type: from key and element sizes, as the compiler does */
	MS_LAYOUT_DESCRIPTOR,	/**< per map type: from the runtime map type descriptor in memory */
};

/** "dwarf", "built-in", "computed", "runtime type descriptor", "none". */
static inline const char *ms_layout_source_str(enum ms_layout_source src)
{
	switch (src) {
	case MS_LAYOUT_DWARF:
		return "dwarf";
	case MS_LAYOUT_BUILTIN:
		return "built-in";
	case MS_LAYOUT_COMPUTED:
		return "computed";
	case MS_LAYOUT_DESCRIPTOR:
		return "runtime type descriptor";
	default:
		return "none";
	}
}

#endif /* MS_LAYOUT_SOURCE_H */
