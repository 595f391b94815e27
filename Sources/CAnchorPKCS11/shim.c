// A small shim over the system's PKCS#11 header (p11-kit's), so Swift calls plain functions
// rather than the module's function table. Written against PKCS#11 v2.40 (OASIS).
#include "anchor_pkcs11.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

struct anchor_p11_token {
    CK_FUNCTION_LIST_PTR functions;
    CK_SESSION_HANDLE session;
    pthread_mutex_t lock;
};

// DER of the named curve prime256v1 (1.2.840.10045.3.1.7), as CKA_EC_PARAMS holds it.
static const uint8_t p256_parameters[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

static int label_matches(const unsigned char padded[32], const char *label) {
    size_t length = strlen(label);
    if (length > 32) return 0;
    if (memcmp(padded, label, length) != 0) return 0;
    for (size_t index = length; index < 32; index++) {
        if (padded[index] != ' ') return 0;
    }
    return 1;
}

unsigned long anchor_p11_open(const char *module, const char *token_label, const char *pin, size_t pin_length,
                              anchor_p11_token **token, char *detail, size_t detail_length) {
    *token = NULL;
    if (detail_length > 0) detail[0] = 0;
    void *library = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        if (reason != NULL && detail_length > 0) {
            strncpy(detail, reason, detail_length - 1);
            detail[detail_length - 1] = 0;
        }
        return ANCHOR_P11_MODULE_NOT_LOADED;
    }
    CK_C_GetFunctionList get_function_list = (CK_C_GetFunctionList)dlsym(library, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR functions = NULL;
    if (get_function_list == NULL || get_function_list(&functions) != CKR_OK || functions == NULL) {
        return ANCHOR_P11_MODULE_NOT_LOADED;
    }
    CK_C_INITIALIZE_ARGS arguments;
    memset(&arguments, 0, sizeof arguments);
    arguments.flags = CKF_OS_LOCKING_OK;
    CK_RV rv = functions->C_Initialize(&arguments);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) return rv;

    CK_ULONG count = 0;
    rv = functions->C_GetSlotList(CK_TRUE, NULL, &count);
    if (rv != CKR_OK) return rv;
    CK_SLOT_ID *slots = calloc(count ? count : 1, sizeof(CK_SLOT_ID));
    if (slots == NULL) return ANCHOR_P11_OUT_OF_MEMORY;
    rv = functions->C_GetSlotList(CK_TRUE, slots, &count);
    CK_SLOT_ID found = 0;
    int matched = 0;
    for (CK_ULONG index = 0; rv == CKR_OK && index < count && !matched; index++) {
        CK_TOKEN_INFO info;
        if (functions->C_GetTokenInfo(slots[index], &info) != CKR_OK) continue;
        if ((info.flags & CKF_TOKEN_INITIALIZED) && label_matches(info.label, token_label)) {
            found = slots[index];
            matched = 1;
        }
    }
    free(slots);
    if (rv != CKR_OK) return rv;
    if (!matched) return ANCHOR_P11_NO_SUCH_TOKEN;

    CK_SESSION_HANDLE session;
    rv = functions->C_OpenSession(found, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session);
    if (rv != CKR_OK) return rv;
    rv = functions->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, pin_length);
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
        functions->C_CloseSession(session);
        return rv;
    }
    anchor_p11_token *made = calloc(1, sizeof *made);
    if (made == NULL) {
        functions->C_CloseSession(session);
        return ANCHOR_P11_OUT_OF_MEMORY;
    }
    made->functions = functions;
    made->session = session;
    pthread_mutex_init(&made->lock, NULL);
    *token = made;
    return CKR_OK;
}

void anchor_p11_close(anchor_p11_token *token) {
    if (token == NULL) return;
    pthread_mutex_lock(&token->lock);
    token->functions->C_Logout(token->session);
    token->functions->C_CloseSession(token->session);
    pthread_mutex_unlock(&token->lock);
    pthread_mutex_destroy(&token->lock);
    free(token);
}

// The private keys labelled `label`, at most `capacity` of them; the caller holds the lock.
static CK_RV find_private_keys(anchor_p11_token *token, const char *label, CK_OBJECT_HANDLE *keys, CK_ULONG capacity,
                               CK_ULONG *count) {
    CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof class},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    CK_RV rv = token->functions->C_FindObjectsInit(token->session, template, sizeof template / sizeof template[0]);
    if (rv != CKR_OK) return rv;
    rv = token->functions->C_FindObjects(token->session, keys, capacity, count);
    CK_RV ended = token->functions->C_FindObjectsFinal(token->session);
    return rv != CKR_OK ? rv : ended;
}

unsigned long anchor_p11_find_private_key(anchor_p11_token *token, const char *label, unsigned long *key) {
    pthread_mutex_lock(&token->lock);
    CK_OBJECT_HANDLE keys[2];
    CK_ULONG count = 0;
    CK_RV rv = find_private_keys(token, label, keys, 2, &count);
    pthread_mutex_unlock(&token->lock);
    if (rv != CKR_OK) return rv;
    if (count == 0) return ANCHOR_P11_NO_SUCH_KEY;
    if (count > 1) return ANCHOR_P11_TWO_KEYS;
    *key = keys[0];
    return CKR_OK;
}

unsigned long anchor_p11_sign_digest(anchor_p11_token *token, unsigned long key, const uint8_t digest[32], uint8_t signature[64]) {
    CK_MECHANISM mechanism = {CKM_ECDSA, NULL, 0};
    // Room for any curve's signature (P-521's is 132 octets): a key of another curve under the
    // label must end the operation with its answer, as CKR_BUFFER_TOO_SMALL would leave it
    // active and every later call on the session refused (CKR_OPERATION_ACTIVE).
    CK_BYTE made[512];
    CK_ULONG length = sizeof made;
    pthread_mutex_lock(&token->lock);
    CK_RV rv = token->functions->C_SignInit(token->session, &mechanism, key);
    if (rv == CKR_OK) rv = token->functions->C_Sign(token->session, (CK_BYTE_PTR)digest, 32, made, &length);
    pthread_mutex_unlock(&token->lock);
    if (rv != CKR_OK) return rv;
    if (length != 64) return ANCHOR_P11_BAD_LENGTH;
    memcpy(signature, made, 64);
    return CKR_OK;
}

unsigned long anchor_p11_ecdh(anchor_p11_token *token, unsigned long key, const uint8_t peer[65], uint8_t z[32]) {
    CK_ECDH1_DERIVE_PARAMS parameters;
    memset(&parameters, 0, sizeof parameters);
    parameters.kdf = CKD_NULL;
    parameters.public_data = (unsigned char *)peer;
    parameters.public_data_len = 65;
    CK_MECHANISM mechanism = {CKM_ECDH1_DERIVE, &parameters, sizeof parameters};
    CK_OBJECT_CLASS class = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    CK_ULONG length = 32;
    CK_BBOOL no = CK_FALSE, yes = CK_TRUE;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof class},
        {CKA_KEY_TYPE, &type, sizeof type},
        {CKA_VALUE_LEN, &length, sizeof length},
        {CKA_TOKEN, &no, sizeof no},
        {CKA_SENSITIVE, &no, sizeof no},
        {CKA_EXTRACTABLE, &yes, sizeof yes},
    };
    CK_OBJECT_HANDLE secret;
    pthread_mutex_lock(&token->lock);
    CK_RV rv = token->functions->C_DeriveKey(token->session, &mechanism, key, template, sizeof template / sizeof template[0], &secret);
    if (rv == CKR_OK) {
        CK_ATTRIBUTE value = {CKA_VALUE, z, 32};
        rv = token->functions->C_GetAttributeValue(token->session, secret, &value, 1);
        if (rv == CKR_OK && value.ulValueLen != 32) rv = ANCHOR_P11_BAD_LENGTH;
        token->functions->C_DestroyObject(token->session, secret);
    }
    pthread_mutex_unlock(&token->lock);
    return rv;
}

unsigned long anchor_p11_import_p256(anchor_p11_token *token, const char *label, const uint8_t scalar[32], int sign,
                                     unsigned long *key) {
    CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
    CK_KEY_TYPE type = CKK_EC;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_BBOOL signs = sign ? CK_TRUE : CK_FALSE, derives = sign ? CK_FALSE : CK_TRUE;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof class},
        {CKA_KEY_TYPE, &type, sizeof type},
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes},
        {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_SIGN, &signs, sizeof signs},
        {CKA_DERIVE, &derives, sizeof derives},
        // Left out, a module may default these to true (SoftHSM2 does): the key does its one job only.
        {CKA_DECRYPT, &no, sizeof no},
        {CKA_UNWRAP, &no, sizeof no},
        {CKA_SIGN_RECOVER, &no, sizeof no},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_EC_PARAMS, (void *)p256_parameters, sizeof p256_parameters},
        {CKA_VALUE, (void *)scalar, 32},
    };
    CK_OBJECT_HANDLE made = CK_INVALID_HANDLE;
    pthread_mutex_lock(&token->lock);
    CK_RV rv = token->functions->C_CreateObject(token->session, template, sizeof template / sizeof template[0], &made);
    pthread_mutex_unlock(&token->lock);
    if (rv == CKR_OK) *key = made;
    return rv;
}

unsigned long anchor_p11_destroy_object(anchor_p11_token *token, unsigned long key) {
    pthread_mutex_lock(&token->lock);
    CK_RV rv = token->functions->C_DestroyObject(token->session, key);
    pthread_mutex_unlock(&token->lock);
    return rv;
}
