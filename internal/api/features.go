package api

import "sync"

// Each capability keeps its routes, OpenAPI operations and schemas in its
// own file, returned by one function listed in features; catalog joins them
// with the core routes of api.go and openapi.go once, so that Register, Routes
// and the OpenAPI document (and its coverage test) see the same set.

// feature is one capability's part of the API.
type feature struct {
	tag, desc string
	routes    []route
	ops       map[string]op
	schemas   obj
}

func newFeature(tag, desc string, rs []route, ops map[string]op, schemas obj) feature {
	return feature{tag: tag, desc: desc, routes: rs, ops: ops, schemas: schemas}
}

// features are the capability parts, in document order. A new capability is
// one more entry here.
var features = []func() feature{
	calendarFeature,
	casesFeature,
	caseFilesFeature,
	caseSearchFeature,
	caseStatsFeature,
	civicFeature,
	consolidatedFeature,
	consultFeature,
	dashboardFeature,
	disclosuresFeature,
	exportsFeature,
	followupFeature,
	modelsFeature,
	myWorkFeature,
	newsFeature,
	noticesFeature,
	programmeFeature,
	receptionFeature,
	reportsFeature,
	unitsWriteFeature,
	reportSchedulesFeature,
}

// apiCatalog is the whole API.
type apiCatalog struct {
	routes     []route
	operations map[string]op
	schemas    obj
	tags       []obj
}

var (
	catalogOnce sync.Once
	catalog     apiCatalog
)

// apiDoc returns the catalog, built on first use.
func apiDoc() *apiCatalog {
	catalogOnce.Do(func() { catalog = buildCatalog() })
	return &catalog
}

// buildCatalog joins the core and the features. It panics on an operation or
// schema defined twice, which the package tests catch.
func buildCatalog() apiCatalog {
	c := apiCatalog{routes: coreRoutes(), operations: map[string]op{}, schemas: obj{}}
	for k, v := range coreOperations {
		c.operations[k] = v
	}
	for _, f := range features {
		ft := f()
		c.routes = append(c.routes, ft.routes...)
		for k, v := range ft.ops {
			if _, dup := c.operations[k]; dup {
				panic("api: operation defined twice: " + k)
			}
			c.operations[k] = v
		}
		for k, v := range ft.schemas {
			if _, dup := c.schemas[k]; dup {
				panic("api: schema defined twice: " + k)
			}
			c.schemas[k] = v
		}
		c.tags = append(c.tags, obj{"name": ft.tag, "description": ft.desc})
	}
	return c
}
