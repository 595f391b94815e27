#ifndef ANCHOR_CRC32C_H
#define ANCHOR_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has a CRC-32C instruction (SSE 4.2 on x86-64).
int anchor_crc32c_hardware_available(void);

/// Continues a finished CRC-32C value over more bytes using the processor's instruction.
/// Only call when anchor_crc32c_hardware_available() returned non-zero.
uint32_t anchor_crc32c_hardware_update(uint32_t crc, const uint8_t *bytes, size_t length);

#endif
