package web

// The classification form of the case page (the classify step): the kind
// and category as they are, or as typed when the step was refused.

import (
	"net/http"

	"github.com/danvan/danvan/internal/service"
)

// caseClassifyForm is the classification form: the choices and the
// values shown.
type caseClassifyForm struct {
	Kinds      []string
	Categories []caseCategoryOption
	Kind       string
	Category   string
	ParentCode string
}

type caseCategoryOption struct {
	Code, Name string
}

// caseClassifyForm fills the form from the case, or from the values typed.
func (w *Web) caseClassifyForm(r *http.Request, names caseNames, d caseDetailData) (*caseClassifyForm, error) {
	cats, err := w.d.Svc.Cases.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	f := &caseClassifyForm{Kinds: service.CaseKinds, Kind: d.C.Kind, Category: d.C.Category}
	if d.C.Kind == service.CaseComplaint2 {
		f.ParentCode = d.ParentCode
	}
	for _, c := range cats {
		f.Categories = append(f.Categories, caseCategoryOption{Code: c.Code, Name: names.category(c.Code)})
	}
	if d.Form.Step == service.StepClassify {
		f.Kind, f.Category, f.ParentCode = d.Form.Values["kind"], d.Form.Values["category"], d.Form.Values["parent_code"]
	}
	return f, nil
}
