// The system's PKCS#11 header, as p11-kit installs it (Debian's libp11-kit-dev).
#include <p11-kit/pkcs11.h>
