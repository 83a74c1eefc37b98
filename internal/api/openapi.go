package api

// The OpenAPI 3.1 description of the API, built as Go data. Every route in
// the table of api.go needs an entry in operations: a test fails otherwise.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
)

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func nullable(t string, extra ...obj) obj {
	o := obj{"type": []string{t, "null"}}
	for _, e := range extra {
		for k, v := range e {
			o[k] = v
		}
	}
	return o
}

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func arrayOf(items obj) obj { return obj{"type": "array", "items": items} }

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// page builds the list envelope of items.
func pageOf(items obj) obj {
	return object([]string{"items", "total", "limit", "offset", "next"}, obj{
		"items":  arrayOf(items),
		"total":  obj{"type": "integer", "minimum": 0, "description": "Items matching, across all pages."},
		"limit":  obj{"type": "integer", "minimum": 0},
		"offset": obj{"type": "integer", "minimum": 0},
		"next":   nullable("string", obj{"format": "uri-reference", "description": "The next page, or null on the last one."}),
	})
}

func param(name, in, desc string, schema obj, required bool) obj {
	return obj{"name": name, "in": in, "description": desc, "schema": schema, "required": required}
}

func paramRef(name string) obj { return obj{"$ref": "#/components/parameters/" + name} }

// op describes one operation.
type op struct {
	tag, summary, desc string
	params             []obj
	body               string // request schema name
	form               string // multipart/form-data request schema name (beside body, or alone)
	status             int    // success status
	schema             obj    // success schema; nil: no content
	errs               []int
	security           []obj // nil: the default (bearer or cookie)
}

var optionalAuth = []obj{{}, {"bearer": []string{}}, {"cookie": []string{}}}

// rateLimitNote is said of every unit read open to anonymous callers.
const rateLimitNote = "Anonymous reads of the whole tree are rate-limited per client address and answer 429 when the limit is reached."

var coreOperations = map[string]op{
	"GET " + Prefix + "/openapi.json": {
		tag: "meta", summary: "This OpenAPI document",
		status: 200, schema: obj{"type": "object"}, security: []obj{},
	},
	"GET " + Prefix + "/units": {
		tag: "units", summary: "The organisation tree on a date, or a unit search",
		desc: "Without q: every unit valid on `at` (or the subtree of `root`), depth-first with parent_id and depth, paginated; " +
			"`limit=all` returns the whole (sub)tree in one call and `tree=1` returns it nested (items are the roots, total counts every unit). " +
			"With q: units whose name contains q, compared without diacritics (\"hac thanh\" finds \"Hạc Thành\"); `at` then restricts to units valid that day. " +
			rateLimitNote,
		params: []obj{paramRef("at"), param("root", "query", "Only the subtree of this unit.", obj{"type": "integer", "format": "int64", "minimum": 1}, false),
			param("q", "query", "Search text, with or without diacritics.", obj{"type": "string", "maxLength": 200}, false),
			param("kind", "query", "Only units of this kind (not with tree=1).", ref("UnitKind"), false),
			param("tree", "query", "1: nested tree with children, unpaginated.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false),
			param("limit", "query", "Page size (default 50, at most 500), or \"all\" for the whole tree.", obj{"oneOf": []obj{{"type": "integer", "minimum": 1}, {"type": "string", "const": "all"}}}, false),
			paramRef("offset"), paramRef("page")},
		status: 200, schema: obj{"oneOf": []obj{ref("UnitPage"), ref("UnitTree")}},
		errs: []int{400, 401, 404, 422, 429}, security: optionalAuth,
	},
	"GET " + Prefix + "/units/{id}": {
		tag: "units", summary: "A unit with its path, children on a date, successors and predecessors",
		desc:   rateLimitNote,
		params: []obj{paramRef("id"), paramRef("at")},
		status: 200, schema: ref("UnitDetail"), errs: []int{400, 401, 404, 422, 429}, security: optionalAuth,
	},
	"GET " + Prefix + "/units/{id}/subtree": {
		tag: "units", summary: "The whole subtree of a unit on a date, in one call",
		desc: rateLimitNote,
		params: []obj{paramRef("id"), paramRef("at"), param("kind", "query", "Only units of this kind (not with tree=1).", ref("UnitKind"), false),
			param("tree", "query", "1: nested with children.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false)},
		status: 200, schema: obj{"oneOf": []obj{ref("UnitPage"), ref("UnitTree")}}, errs: []int{400, 401, 404, 422, 429}, security: optionalAuth,
	},
	"GET " + Prefix + "/me": {
		tag: "account", summary: "The signed-in user and their grants",
		status: 200, schema: ref("Me"), errs: []int{401},
	},
	"GET " + Prefix + "/users": {
		tag: "users", summary: "List users (user.manage)",
		params: []obj{param("q", "query", "Part of the user name or full name.", obj{"type": "string", "maxLength": 100}, false), paramRef("limit"), paramRef("offset"), paramRef("page")},
		status: 200, schema: pageOf(ref("User")), errs: []int{400, 401, 403},
	},
	"POST " + Prefix + "/users": {
		tag: "users", summary: "Create a user (user.manage)",
		desc:   "The password is stored as an argon2id hash. A taken user name answers 409.",
		params: []obj{paramRef("csrf")}, body: "UserCreate",
		status: 201, schema: ref("User"), errs: []int{400, 401, 403, 409, 413, 415, 422},
	},
	"GET " + Prefix + "/users/{id}": {
		tag: "users", summary: "One user (user.manage, or oneself)",
		params: []obj{paramRef("id")},
		status: 200, schema: ref("User"), errs: []int{401, 403, 404},
	},
	"GET " + Prefix + "/users/{id}/grants": {
		tag: "grants", summary: "A user's role grants",
		desc:   "Oneself and administrators see every grant; someone who may grant roles sees the grants on units within their reach.",
		params: []obj{paramRef("id")},
		status: 200, schema: pageOf(ref("Grant")), errs: []int{401, 403, 404},
	},
	"POST " + Prefix + "/users/{id}/grants": {
		tag: "grants", summary: "Grant a role on a unit (role.grant)",
		desc:   "Allowed when the caller may grant this role on this unit (admin: any; coordinator: below admin and coordinator in their subtree; unit head: unit_officer and case_handler in their subtree). An existing identical grant answers 200.",
		params: []obj{paramRef("id"), paramRef("csrf")}, body: "GrantCreate",
		status: 201, schema: ref("Grant"), errs: []int{400, 401, 403, 404, 413, 415, 422},
	},
	"DELETE " + Prefix + "/grants/{id}": {
		tag: "grants", summary: "Revoke a grant (role.grant)",
		desc:   "The installation's last administrator grant cannot be revoked (409).",
		params: []obj{paramRef("id"), paramRef("csrf")},
		status: 204, errs: []int{401, 403, 404, 409},
	},
	"POST " + Prefix + "/users/{id}/disable": {
		tag: "users", summary: "Disable an account (user.manage)",
		desc:   "The user can no longer sign in; their sessions end and every API token they hold is revoked at once. The last enabled administrator cannot be disabled (409). Disabling a disabled account changes nothing.",
		params: []obj{paramRef("id"), paramRef("csrf")},
		status: 200, schema: ref("User"), errs: []int{401, 403, 404, 409},
	},
	"POST " + Prefix + "/users/{id}/enable": {
		tag: "users", summary: "Enable a disabled account (user.manage)",
		desc:   "Revoked tokens stay revoked.",
		params: []obj{paramRef("id"), paramRef("csrf")},
		status: 200, schema: ref("User"), errs: []int{401, 403, 404},
	},
	"GET " + Prefix + "/me/tokens": {
		tag: "account", summary: "The caller's API tokens, newest first",
		desc:   "Revoked and expired tokens are listed too (active false). The secret is never shown again.",
		status: 200, schema: pageOf(ref("Token")), errs: []int{401},
	},
	"DELETE " + Prefix + "/me/tokens/{id}": {
		tag: "account", summary: "Revoke one of the caller's API tokens",
		desc:   "The token answers 401 from the next request on. Someone else's token, or one that does not exist, is 404.",
		params: []obj{paramRef("id"), paramRef("csrf")},
		status: 204, errs: []int{401, 404},
	},
	"GET " + Prefix + "/audit": {
		tag: "audit", summary: "The audit log, newest first (audit.read)",
		params: []obj{
			param("actor", "query", "Actor user name (exact).", obj{"type": "string"}, false),
			param("action", "query", "Action, or its prefix (\"grant.\").", obj{"type": "string"}, false),
			param("entity", "query", "Entity type (\"user\", \"unit\").", obj{"type": "string"}, false),
			param("entity_id", "query", "Entity id.", obj{"type": "string"}, false),
			param("from", "query", "From this date (YYYY-MM-DD, Vietnam time) or RFC 3339 instant, inclusive.", obj{"type": "string"}, false),
			param("to", "query", "Up to this date (inclusive) or RFC 3339 instant (exclusive).", obj{"type": "string"}, false),
			paramRef("limit"), paramRef("offset"), paramRef("page")},
		status: 200, schema: pageOf(ref("AuditEntry")), errs: []int{400, 401, 403},
	},
	"GET " + Prefix + "/audit/verify": {
		tag: "audit", summary: "Verify the keyed audit chain (audit.read)",
		desc: "Starts a background verification of the whole chain (HMAC-keyed, with signed checkpoints kept outside the database) " +
			"when none is running, waits up to 2 seconds for it, and answers the last finished result. Poll until `running` is false.",
		status: 200, schema: ref("AuditVerify"), errs: []int{401, 403},
	},
}

var errorDescriptions = map[int]string{
	400: "Malformed JSON, an unknown or mistyped field, or an invalid query parameter.",
	401: "Not signed in, or the bearer token is invalid.",
	403: "Not permitted, or the X-CSRF-Token header is missing for a cookie-authenticated change.",
	404: "No such resource.",
	405: "The path exists but not for this method; see Allow.",
	409: "Conflicts with existing data.",
	413: "The body exceeds 1 MiB.",
	415: "The body is not application/json.",
	422: "The request is well-formed but its fields or parameters are invalid; see errors.",
	429: "Too many requests from this client address; try again later.",
	500: "An unexpected server error; quote request_id.",
}

func unitKinds() []string {
	out := make([]string, len(org.Kinds))
	for i, k := range org.Kinds {
		out[i] = string(k)
	}
	return out
}

func roleNames() []string {
	var out []string
	for _, r := range authz.AllRoles() {
		out = append(out, string(r))
	}
	return out
}

func schemas() obj {
	date := obj{"type": "string", "format": "date"}
	unitProps := obj{
		"id":         obj{"type": "integer", "format": "int64"},
		"code":       nullable("string", obj{"description": "Official or local code."}),
		"kind":       ref("UnitKind"),
		"name":       obj{"type": "string"},
		"parent_id":  nullable("integer", obj{"format": "int64"}),
		"remote":     obj{"type": "boolean", "description": "In a remote area (longer legal deadlines)."},
		"valid_from": date,
		"valid_to":   nullable("string", obj{"format": "date", "description": "Last valid day; null while valid."}),
		"depth":      obj{"type": "integer", "minimum": 0, "description": "In tree listings: 0 for the listing's roots."},
	}
	unitReq := []string{"id", "code", "kind", "name", "parent_id", "remote", "valid_from", "valid_to"}
	nodeProps := obj{"children": arrayOf(ref("UnitNode"))}
	for k, v := range unitProps {
		nodeProps[k] = v
	}
	detailProps := obj{
		"at":           date,
		"valid_at":     obj{"type": "boolean", "description": "Whether the unit itself is valid on at."},
		"path":         obj{"type": "array", "items": ref("Unit"), "description": "Ancestors, root first."},
		"children":     obj{"type": "array", "items": ref("Unit"), "description": "Children valid on at."},
		"successors":   arrayOf(ref("Link")),
		"predecessors": arrayOf(ref("Link")),
	}
	for k, v := range unitProps {
		if k != "depth" {
			detailProps[k] = v
		}
	}
	unitPage := pageOf(ref("Unit"))
	unitPage["properties"].(obj)["at"] = obj{"type": "string", "format": "date", "description": "The date asked about (absent for searches across all dates)."}
	grant := object([]string{"id", "user_id", "username", "role", "unit_id", "unit_name", "created_at"}, obj{
		"id": obj{"type": "integer", "format": "int64"}, "user_id": obj{"type": "integer", "format": "int64"},
		"username": obj{"type": "string"}, "role": ref("Role"),
		"unit_id": obj{"type": "integer", "format": "int64"}, "unit_name": obj{"type": "string"},
		"created_at": obj{"type": "string", "format": "date-time"},
	})
	user := object([]string{"id", "username", "full_name", "email", "locale", "disabled", "locked", "created_at"}, obj{
		"id": obj{"type": "integer", "format": "int64"}, "username": obj{"type": "string"},
		"full_name": obj{"type": "string"}, "email": obj{"type": "string"},
		"locale":   obj{"type": "string", "enum": []string{"", "vi", "en", "ja"}},
		"disabled": obj{"type": "boolean"}, "locked": obj{"type": "boolean", "description": "Locked after failed sign-ins."},
		"created_at": obj{"type": "string", "format": "date-time"},
	})
	out := obj{
		"Problem": obj{
			"type":        "object",
			"description": "RFC 9457 problem details; title, detail and error messages are in the request's language.",
			"required":    []string{"type", "title", "status"},
			"properties": obj{
				"type":       obj{"type": "string", "format": "uri", "description": "urn:danvan:problem:<kind>; clients branch on it.", "examples": []string{ProblemType + kindValidation}},
				"title":      obj{"type": "string"},
				"status":     obj{"type": "integer"},
				"detail":     obj{"type": "string"},
				"instance":   obj{"type": "string", "format": "uri-reference"},
				"request_id": obj{"type": "string"},
				"errors":     arrayOf(ref("FieldError")),
			},
		},
		"FieldError": object([]string{"field", "message"}, obj{"field": str("The body field or query parameter."), "message": str("What is wrong, translated.")}),
		"UnitKind":   obj{"type": "string", "enum": unitKinds()},
		"Role":       obj{"type": "string", "enum": roleNames()},
		"Unit":       object(unitReq, unitProps),
		"UnitNode":   object(append(unitReq, "children"), nodeProps),
		"UnitDetail": object(append(unitReq, "at", "valid_at", "path", "children", "successors", "predecessors"), detailProps),
		"UnitPage":   unitPage,
		"UnitTree":   object([]string{"at", "items", "total", "limit", "offset", "next"}, obj{"at": date, "items": arrayOf(ref("UnitNode")), "total": obj{"type": "integer"}, "limit": obj{"type": "integer"}, "offset": obj{"type": "integer"}, "next": obj{"type": "null"}}),
		"Link": object([]string{"unit_id", "name", "code", "kind", "portion", "effective"}, obj{
			"unit_id": obj{"type": "integer", "format": "int64"}, "name": obj{"type": "string"}, "code": nullable("string"),
			"kind": obj{"type": "string", "examples": []string{"merge", "split", "rename"}}, "portion": obj{"type": "string", "enum": []string{"full", "partial"}},
			"effective": date,
		}),
		"User": user,
		"UserCreate": object([]string{"username", "full_name", "password"}, obj{
			"username":  obj{"type": "string", "pattern": "^[a-z0-9._-]{2,64}$"},
			"full_name": obj{"type": "string", "maxLength": 200},
			"email":     obj{"type": "string", "format": "email"},
			"password":  obj{"type": "string", "minLength": 10, "writeOnly": true},
			"locale":    obj{"type": "string", "enum": []string{"", "vi", "en", "ja"}},
			"position":  obj{"type": "string", "maxLength": 100, "description": "Position (chức vụ), printed in signature blocks."},
		}),
		"Grant": grant,
		"Token": object([]string{"id", "name", "created_at", "expires_at", "last_used_at", "revoked_at", "active"}, obj{
			"id": obj{"type": "integer", "format": "int64"}, "name": obj{"type": "string"},
			"created_at":   obj{"type": "string", "format": "date-time"},
			"expires_at":   nullable("string", obj{"format": "date-time", "description": "Null: never (tokens made before expiry existed)."}),
			"last_used_at": nullable("string", obj{"format": "date-time", "description": "Recorded at most once a minute."}),
			"revoked_at":   nullable("string", obj{"format": "date-time"}),
			"active":       obj{"type": "boolean", "description": "Neither revoked nor expired."},
		}),
		"GrantCreate": object([]string{"role", "unit_id"}, obj{"role": ref("Role"), "unit_id": obj{"type": "integer", "format": "int64", "minimum": 1}}),
		"Me": object([]string{"user", "grants", "admin", "auth", "csrf_token", "lang"}, obj{
			"user": ref("User"), "grants": arrayOf(ref("Grant")), "admin": obj{"type": "boolean"},
			"auth":       obj{"type": "string", "enum": []string{"session", "token"}},
			"csrf_token": nullable("string", obj{"description": "Send as X-CSRF-Token with changes made with the session cookie."}),
			"lang":       obj{"type": "string", "enum": []string{"vi", "en", "ja"}},
		}),
		"AuditEntry": object([]string{"id", "at", "actor_id", "actor", "action", "entity", "entity_id", "before", "after", "ip", "prev_hash", "hash"}, obj{
			"id": obj{"type": "integer", "format": "int64"}, "at": obj{"type": "string", "format": "date-time"},
			"actor_id": nullable("integer"), "actor": obj{"type": "string"}, "action": obj{"type": "string"},
			"entity": obj{"type": "string"}, "entity_id": obj{"type": "string"},
			"before": obj{"description": "State before the change (any JSON), or null."}, "after": obj{"description": "State after the change (any JSON), or null."},
			"ip": obj{"type": "string"}, "prev_hash": obj{"type": "string"}, "hash": obj{"type": "string"},
		}),
		"AuditVerify": object([]string{"ok", "count", "broken_at", "reason", "running", "started_at", "finished_at"}, obj{
			"ok":        obj{"type": "boolean", "description": "The last finished verification found the whole chain intact."},
			"count":     obj{"type": "integer", "description": "Entries verified by the last finished run."},
			"broken_at": nullable("integer", obj{"description": "Id of the first bad entry."}), "reason": nullable("string"),
			"running":     obj{"type": "boolean", "description": "A verification is running in the background."},
			"started_at":  nullable("string", obj{"format": "date-time"}),
			"finished_at": nullable("string", obj{"format": "date-time", "description": "End of the last finished run; null when none has finished."}),
		}),
	}
	for k, v := range apiDoc().schemas {
		if _, dup := out[k]; dup {
			panic("api: feature schema shadows a core schema: " + k)
		}
		out[k] = v
	}
	return out
}

func buildOpenAPI() obj {
	paths := obj{}
	for pattern, o := range apiDoc().operations {
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.TrimPrefix(path, Prefix)
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		responses := obj{}
		ok := obj{"description": http.StatusText(o.status)}
		if o.schema != nil {
			ok["content"] = obj{"application/json": obj{"schema": o.schema}}
		}
		responses[itoa(o.status)] = ok
		for _, s := range append(append([]int(nil), o.errs...), 405, 500) {
			responses[itoa(s)] = obj{"$ref": "#/components/responses/" + itoa(s)}
		}
		operation := obj{
			"operationId": operationID(method, path),
			"tags":        []string{o.tag},
			"summary":     o.summary,
			"responses":   responses,
		}
		if o.desc != "" {
			operation["description"] = o.desc
		}
		if len(o.params) > 0 {
			operation["parameters"] = o.params
		}
		if o.body != "" || o.form != "" {
			content := obj{}
			if o.body != "" {
				content["application/json"] = obj{"schema": ref(o.body)}
			}
			if o.form != "" {
				content["multipart/form-data"] = obj{"schema": ref(o.form)}
			}
			operation["requestBody"] = obj{"required": true, "content": content}
		}
		if o.security != nil {
			operation["security"] = o.security
		}
		item[strings.ToLower(method)] = operation
	}
	responses := obj{}
	for s, desc := range errorDescriptions {
		r := obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
		switch s {
		case 401:
			r["headers"] = obj{"WWW-Authenticate": obj{"schema": obj{"type": "string"}, "description": "Bearer realm=\"danvan\" (error=\"invalid_token\" for a bad token)."}}
		case 405:
			r["headers"] = obj{"Allow": obj{"schema": obj{"type": "string"}, "description": "The methods the path accepts."}}
		}
		responses[itoa(s)] = r
	}
	return obj{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": obj{
			"title":   "danvan API",
			"version": "1",
			"description": "JSON API of danvan. Errors are RFC 9457 problem details (application/problem+json) in the request's language " +
				"(?lang=, the user's saved language, or Accept-Language). Authenticate with a bearer token, or with the session cookie plus " +
				"the X-CSRF-Token header (from GET /me) on changes. Bodies are JSON, at most 1 MiB; unknown fields are refused. " +
				"Lists take limit (default 50, at most 500) and offset or page and answer {items, total, limit, offset, next}.",
		},
		"servers":  []obj{{"url": Prefix}},
		"security": []obj{{"bearer": []string{}}, {"cookie": []string{}}},
		"tags": append([]obj{
			{"name": "units", "description": "The organisation tree, as of any date."},
			{"name": "account", "description": "The caller."},
			{"name": "users", "description": "Accounts."},
			{"name": "grants", "description": "Roles held on units."},
			{"name": "audit", "description": "The hash-chained audit log."},
			{"name": "meta", "description": "This description."},
		}, apiDoc().tags...),
		"paths": paths,
		"components": obj{
			"schemas":   schemas(),
			"responses": responses,
			"parameters": obj{
				"id":     param("id", "path", "Resource id.", obj{"type": "integer", "format": "int64", "minimum": 1}, true),
				"at":     param("at", "query", "Date (YYYY-MM-DD); default today in Vietnam (UTC+7).", obj{"type": "string", "format": "date"}, false),
				"limit":  param("limit", "query", "Page size; default 50, at most 500 (larger values are lowered).", obj{"type": "integer", "minimum": 1, "default": DefaultLimit}, false),
				"offset": param("offset", "query", "Items to skip.", obj{"type": "integer", "minimum": 0, "default": 0}, false),
				"page":   param("page", "query", "1-based page number (instead of offset).", obj{"type": "integer", "minimum": 1}, false),
				"csrf":   param("X-CSRF-Token", "header", "Required when authenticated by the session cookie (see GET /me).", obj{"type": "string"}, false),
			},
			"securitySchemes": obj{
				"bearer": obj{"type": "http", "scheme": "bearer", "description": "An API token (danvan token create)."},
				"cookie": obj{"type": "apiKey", "in": "cookie", "name": "danvan_session", "description": "The browser session; changes also need X-CSRF-Token."},
			},
		},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// operationID makes "getUnitsIdSubtree" from GET /units/{id}/subtree.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.Split(path, "/") {
		part = strings.Trim(part, "{}")
		part = strings.ReplaceAll(part, ".", "_")
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

var (
	openAPIOnce sync.Once
	openAPIJSON []byte
)

// OpenAPI returns the document as JSON.
func OpenAPI() []byte {
	openAPIOnce.Do(func() {
		b, err := json.MarshalIndent(buildOpenAPI(), "", "  ")
		if err != nil {
			panic(err) // static data: a test catches it
		}
		openAPIJSON = append(b, '\n')
	})
	return openAPIJSON
}

// openAPI: GET /openapi.json.
func (a *api) openAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(OpenAPI())
	return nil
}
