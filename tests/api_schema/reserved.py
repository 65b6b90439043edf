"""Names openapi-generator's TypeScript client generators do not keep as model names.

From openapi-generator's AbstractTypeScriptClientCodegen (and the typescript / ts generators built on it):
`toModelName` renames a schema whose name is a reserved word or one of `languageSpecificPrimitives` to
`Model<Name>` (a component `Error` becomes `ModelError`). Reserved words are compared case-sensitively there
(and model names are PascalCase), so the test compares both the exact and the lower-cased name, which is
stricter. Added: the JavaScript/TypeScript globals generated code refers to (Promise, Response, Request,
Blob, …), which some generators (typescript-fetch's runtime, typescript-axios) define or import themselves.
"""

# languageSpecificPrimitives (AbstractTypeScriptClientCodegen; "Set" in the newer typescript/ts generators)
PRIMITIVES = {
    "string",
    "String",
    "boolean",
    "Boolean",
    "Double",
    "Integer",
    "Long",
    "Float",
    "Object",
    "Array",
    "Date",
    "number",
    "any",
    "File",
    "Error",
    "Map",
    "Set",
}

# reservedWords: local variables of the generated API methods, then TypeScript's reserved words
RESERVED_WORDS = {
    "varLocalPath",
    "queryParameters",
    "headerParams",
    "formParams",
    "useFormData",
    "varLocalDeferred",
    "requestOptions",
    "from",
    "constructor",
    *(
        "abstract await boolean break byte case catch char class const continue debugger default delete do "
        "double else enum export extends false final finally float for function goto if implements import in "
        "instanceof int interface let long native new null package private protected public return short "
        "static super switch synchronized this throw transient true try typeof var void volatile while with "
        "yield"
    ).split(),
}

# Globals of the JavaScript runtime that generated clients use next to the models
GLOBALS = {
    "Promise",
    "Response",
    "Request",
    "RequestInit",
    "Headers",
    "FormData",
    "Blob",
    "Buffer",
    "Record",
    "Partial",
    "Symbol",
    "Function",
    "Number",
    "BigInt",
    "RegExp",
    "JSON",
    "Math",
    "URL",
    "URLSearchParams",
    "ReadonlyArray",
    "Configuration",
    "BaseAPI",
    "RequiredError",
    "ResponseError",
    "FetchError",
}

TYPESCRIPT_RENAMED = frozenset(PRIMITIVES | RESERVED_WORDS | GLOBALS)
