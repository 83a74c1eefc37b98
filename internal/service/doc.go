// Package service holds every use case of danvan once. A service per
// capability (accounts, units, programme, reports, follow-up, calendar, …) takes the
// signed-in [Principal], checks permission against the in-memory
// organisation [Tree], validates input with one [Validator] shared by the
// HTML and JSON doors, runs the store transaction (which writes the audit
// entry in the same transaction), queues notifications, and returns typed
// errors: [ErrUnauthenticated], [ErrForbidden], [ErrNotFound], [ErrConflict],
// [ErrUnavailable], [ErrTooMany] and [*InvalidError] with per-field messages.
//
// The doors — internal/web (HTML), internal/api (JSON, Open311 to come) and
// cmd/danvan (command line) — decode, call one service method and render;
// each keeps one table that maps these errors to its own answer. Neither
// door imports internal/store: the types they render are re-exported here
// as aliases.
//
// Wiring is explicit: [New] builds every service from [Deps].
package service
