#ifndef ANCHOR_PKCS11_H
#define ANCHOR_PKCS11_H

#include <stddef.h>
#include <stdint.h>

/// A logged-in session with one token of a PKCS#11 module, used by one thread at a time (the
/// calls below take its lock). Private keys stay in the token: only signatures, shared secrets
/// and public points come out.
typedef struct anchor_p11_token anchor_p11_token;

/// Failures that are not a module's CK_RV (which are all below 0x80000000).
#define ANCHOR_P11_MODULE_NOT_LOADED 0x80000001UL   ///< dlopen or C_GetFunctionList failed
#define ANCHOR_P11_NO_SUCH_TOKEN 0x80000002UL       ///< no initialised token has the label
#define ANCHOR_P11_NO_SUCH_KEY 0x80000003UL         ///< no private key has the label
#define ANCHOR_P11_TWO_KEYS 0x80000004UL            ///< more than one private key has the label
#define ANCHOR_P11_BAD_LENGTH 0x80000005UL          ///< the token gave an answer of the wrong size
#define ANCHOR_P11_OUT_OF_MEMORY 0x80000006UL
#define ANCHOR_P11_LABEL_TAKEN 0x80000007UL         ///< a private key already has the label (Swift's check)

/// Loads `module`, finds the token labelled `token_label` and logs in as its user with `pin`.
/// On failure returns the CK_RV or one of the codes above; `detail` gets dlerror()'s text, if any.
unsigned long anchor_p11_open(const char *module, const char *token_label, const char *pin, size_t pin_length,
                              anchor_p11_token **token, char *detail, size_t detail_length);

/// Logs out, closes the session and frees the token (the module stays loaded).
void anchor_p11_close(anchor_p11_token *token);

/// The handle of the one private key labelled `label`.
unsigned long anchor_p11_find_private_key(anchor_p11_token *token, const char *label, unsigned long *key);

/// CKM_ECDSA over a 32-octet digest: the signature as r || s, 64 octets.
unsigned long anchor_p11_sign_digest(anchor_p11_token *token, unsigned long key, const uint8_t digest[32], uint8_t signature[64]);

/// CKM_ECDH1_DERIVE (CKD_NULL) with the peer's uncompressed P-256 point (65 octets): the shared
/// x-coordinate Z, 32 octets. The derived secret object is made in the session and destroyed.
unsigned long anchor_p11_ecdh(anchor_p11_token *token, unsigned long key, const uint8_t peer[65], uint8_t z[32]);

/// Puts a P-256 private key (its 32-octet scalar) into the token as a private, sensitive,
/// non-extractable token object labelled `label`, usable only to sign (`sign` non-zero) or only to derive;
/// `key` gets the new object's handle.
unsigned long anchor_p11_import_p256(anchor_p11_token *token, const char *label, const uint8_t scalar[32], int sign,
                                     unsigned long *key);

/// Destroys the one object `key` (a key imported here whose check failed).
unsigned long anchor_p11_destroy_object(anchor_p11_token *token, unsigned long key);

#endif
