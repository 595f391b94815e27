#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so its encoding.h includes the system's ICU headers,
   whose enum UErrorCode clashes with the copy of ICU inside Foundation when both reach one
   Swift module graph (seen on a clean build). Nothing here uses an ICU type: the headers'
   ICU parts are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

/// libxml2's `xmlFree` is a global function pointer, which Swift 6 will not read from
/// concurrent code; this calls it.
static inline void anchor_xml_free(void *memory) { xmlFree(memory); }
