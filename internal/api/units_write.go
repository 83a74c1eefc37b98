package api

import (
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Unit management: create, edit and close units (with successors), for
// those who may manage units (unit.manage: administrators). Reads are in
// units.go.

// UnitWrite is the body of POST /units and PUT /units/{id}.
type UnitWrite struct {
	ParentID  int64  `json:"parent_id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Code      string `json:"code"`
	ValidFrom string `json:"valid_from"`
	Remote    bool   `json:"remote"`
}

// UnitCloseBody is the body of POST /units/{id}/close.
type UnitCloseBody struct {
	ValidTo    string               `json:"valid_to"`
	Kind       string               `json:"kind"`
	Successors []UnitSuccessorInput `json:"successors"`
}

// UnitSuccessorInput names a successor and the share it takes.
type UnitSuccessorInput struct {
	UnitID  int64  `json:"unit_id"`
	Portion string `json:"portion"`
}

func (b UnitWrite) input() service.UnitInput {
	return service.UnitInput{ParentID: b.ParentID, Name: b.Name, Kind: b.Kind, Code: b.Code, ValidFrom: b.ValidFrom, Remote: b.Remote}
}

func unitsWriteFeature() feature {
	kinds := make([]string, len(org.Kinds))
	for i, k := range org.Kinds {
		kinds[i] = string(k)
	}
	id := obj{"type": "integer", "format": "int64"}
	return newFeature("unit-management", "Creating, editing and closing units (unit.manage: administrators). Every write is audited and the in-memory tree reloads.",
		[]route{
			{"POST", Prefix + "/units", true, (*api).createUnit},
			{"PUT", Prefix + "/units/{id}", true, (*api).updateUnit},
			{"POST", Prefix + "/units/{id}/close", true, (*api).closeUnit},
		},
		map[string]op{
			"POST " + Prefix + "/units": {
				tag: "unit-management", summary: "Create a unit",
				desc:   "The parent (parent_id, 0 or omitted: a root) must exist on valid_from. A code already used by a unit with the same valid_from answers 422.",
				params: []obj{paramRef("csrf")}, body: "UnitWrite",
				status: 201, schema: ref("Unit"), errs: []int{400, 401, 403, 413, 415, 422},
			},
			"PUT " + Prefix + "/units/{id}": {
				tag: "unit-management", summary: "Edit a unit",
				desc:   "Replaces name, kind, code, parent, start and remote flag; the end date and successors change only by closing.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "UnitWrite",
				status: 200, schema: ref("Unit"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"POST " + Prefix + "/units/{id}/close": {
				tag: "unit-management", summary: "Close a unit, with its successors",
				desc: "Ends the unit on valid_to and records its successors (valid the day after, share full or partial) in one transaction. " +
					"A unit already closed, or whose subordinate units stay valid after valid_to, answers 422.",
				params: []obj{paramRef("id"), paramRef("csrf")}, body: "UnitClose",
				status: 200, schema: ref("Unit"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
		},
		obj{
			"UnitWrite": object([]string{"name", "kind", "valid_from"}, obj{
				"parent_id": id, "name": obj{"type": "string", "maxLength": service.UnitNameMax},
				"kind": obj{"type": "string", "enum": kinds}, "code": obj{"type": "string", "maxLength": service.UnitCodeMax},
				"valid_from": obj{"type": "string", "format": "date"}, "remote": obj{"type": "boolean"},
			}),
			"UnitClose": object([]string{"valid_to"}, obj{
				"valid_to": obj{"type": "string", "format": "date", "description": "The unit's last day."},
				"kind":     obj{"type": "string", "enum": []string{"merge", "split", "rename"}, "description": "Default merge."},
				"successors": obj{"type": "array", "maxItems": service.UnitSuccessorsMax, "items": object([]string{"unit_id", "portion"}, obj{
					"unit_id": id, "portion": obj{"type": "string", "enum": []string{"full", "partial"}},
				})},
			}),
		})
}

// createUnit: POST /units (unit.manage).
func (a *api) createUnit(w http.ResponseWriter, r *http.Request) error {
	var body UnitWrite
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	u, err := a.d.Svc.Units.Create(r.Context(), server.PrincipalFrom(r.Context()), body.input())
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/units/"+strconv.FormatInt(u.ID, 10))
	return writeJSON(w, http.StatusCreated, unitOf(u))
}

// updateUnit: PUT /units/{id} (unit.manage).
func (a *api) updateUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body UnitWrite
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	u, err := a.d.Svc.Units.Update(r.Context(), server.PrincipalFrom(r.Context()), id, body.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, unitOf(u))
}

// closeUnit: POST /units/{id}/close (unit.manage).
func (a *api) closeUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body UnitCloseBody
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	in := service.UnitClose{ValidTo: body.ValidTo, Kind: body.Kind}
	for _, s := range body.Successors {
		in.Successors = append(in.Successors, service.UnitSuccessor{UnitID: s.UnitID, Portion: s.Portion})
	}
	p := server.PrincipalFrom(r.Context())
	if err := a.d.Svc.Units.Close(r.Context(), p, id, in); err != nil {
		return err
	}
	v, err := a.d.Svc.Units.Get(r.Context(), p, service.UnitQuery{ID: id, At: body.ValidTo})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, unitOf(v.Unit))
}
