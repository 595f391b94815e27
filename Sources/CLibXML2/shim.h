#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/c14n.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/// libxml2's `xmlFree` is a global function pointer, which Swift 6 will not read from
/// concurrent code; this calls it.
static inline void anchor_xml_free(void *memory) { xmlFree(memory); }
