// Ring oracle: answers hash-ring questions with ringpop-go's own hashring package (the ring a
// ringpop-go node builds, farmhash Fingerprint32), so ringside's ring can be checked against it
// without a cluster, as test/peers/ringpop/ring-oracle.cjs does for ringpop-node:
//
//	ringpop-go-node ring-oracle < request.json > answer.json
//
// request: {"servers":[{"address":"127.0.0.1:3000","identity":"svc-0"},..],"replicaPoints":100,"keys":[..],"n":3}
// ("identity" optional: the member's __identity label, as ringpop-go's Identity option sets it)
// answer:  {"checksum":n,"checksums":{"replica":n},"lookup":[..],"lookupN":[[..],..]}
// ("checksum" is the ring's legacy checksum, the one /admin/stats reports as ring.checksum)
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/dgryski/go-farm"
	"github.com/uber/ringpop-go/hashring"
	"github.com/uber/ringpop-go/membership"
)

// oracleMember is a membership.Member with an optional identity label, nothing else.
type oracleMember struct {
	Address       string `json:"address"`
	IdentityLabel string `json:"identity"`
}

func (m oracleMember) GetAddress() string { return m.Address }

func (m oracleMember) Label(key string) (string, bool) {
	if key == membership.IdentityLabelKey && m.IdentityLabel != "" {
		return m.IdentityLabel, true
	}
	return "", false
}

// Identity follows swim.Member.Identity: the identity label when set, the address otherwise.
func (m oracleMember) Identity() string {
	if m.IdentityLabel != "" {
		return m.IdentityLabel
	}
	return m.Address
}

type oracleRequest struct {
	Servers       []oracleMember `json:"servers"`
	ReplicaPoints int            `json:"replicaPoints"`
	Keys          []string       `json:"keys"`
	N             int            `json:"n"`
}

type oracleAnswer struct {
	Checksum  uint32            `json:"checksum"`
	Checksums map[string]uint32 `json:"checksums"`
	Lookup    []string          `json:"lookup"`
	LookupN   [][]string        `json:"lookupN,omitempty"`
}

func ringOracle() {
	var req oracleRequest
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "ring-oracle: bad request: %v\n", err)
		os.Exit(2)
	}
	if req.ReplicaPoints == 0 {
		req.ReplicaPoints = 100
	}
	ring := hashring.New(farm.Fingerprint32, req.ReplicaPoints)
	members := make([]membership.Member, len(req.Servers))
	for i, server := range req.Servers {
		members[i] = server
	}
	ring.AddMembers(members...)
	answer := oracleAnswer{Checksum: ring.Checksum(), Checksums: ring.Checksums(), Lookup: make([]string, len(req.Keys))}
	for i, key := range req.Keys {
		answer.Lookup[i], _ = ring.Lookup(key)
	}
	if req.N > 0 {
		answer.LookupN = make([][]string, len(req.Keys))
		for i, key := range req.Keys {
			answer.LookupN[i] = ring.LookupN(key, req.N)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(answer); err != nil {
		os.Exit(1)
	}
}
