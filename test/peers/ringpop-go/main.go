// One real ringpop-go node (github.com/uber/ringpop-go on tchannel-go) for ringside's tests, with
// the same interface as test/peers/ringpop/node.cjs (the ringpop-node peer):
//
//	ringpop-go-node --listen 127.0.0.1:30000 --app demo --hosts 127.0.0.1:30000,127.0.0.1:30001 [--suspect-ms 5000]
//	                [--faulty-ms 86400000] [--tombstone-ms 60000] [--identity ID] [--labels k=v,k=v]
//	                [--replica-points 100]
//
// The periods are ringpop-go's SuspectPeriod (suspect -> faulty), FaultyPeriod (faulty ->
// tombstone) and TombstonePeriod (tombstone -> evicted), with ringpop's defaults but for suspect.
//
// --identity is ringpop-go's Identity option (the "__identity" label: the ring then places the node
// by "ID#i" instead of "host:port" + "i"); --labels are set on the node's own labels once it has
// bootstrapped, so they gossip as label changes, as an application's labels do. --replica-points
// is ringpop-go's HashRingConfig (100 by default).
//
// With the single argument ring-oracle it is instead a hash-ring oracle (oracle.go).
//
// It prints {"ready":true,"address":...,"pid":...} once bootstrapped, then answers one JSON request
// per stdin line with one JSON line, from the node's own objects (never over TChannel):
//
//	{"q":"members"}                   -> {"checksum":n,"members":[{address,status,incarnationNumber,labels}]}
//	{"q":"lookup","keys":[..]}        -> {"owners":[..]}
//	{"q":"lookupN","keys":[..],"n":2} -> {"owners":[[..],..]}        (LookupN: n distinct owners a key)
//	{"q":"ring"}                      -> {"checksum":n,"checksums":{"replica":n},"servers":[..]}
//	                                     (the ring's checksums, its reachable members)
//
// ringpop-go keeps its SWIM node and its ring in unexported fields; the members query reads the
// node's MemberStats and the ring query the ring's Checksums (the same data ringpop-go's own
// /admin/stats serves) through reflection. Test infrastructure only.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"
	"unsafe"

	ringpop "github.com/uber/ringpop-go"
	"github.com/uber/ringpop-go/discovery/statichosts"
	"github.com/uber/ringpop-go/hashring"
	"github.com/uber/ringpop-go/swim"
	"github.com/uber/tchannel-go"
)

type request struct {
	Q    string   `json:"q"`
	Keys []string `json:"keys"`
	N    int      `json:"n"`
}

// unexported reads one unexported field of ringpop-go's Ringpop.
func unexported(rp *ringpop.Ringpop, name string) interface{} {
	field := reflect.ValueOf(rp).Elem().FieldByName(name)
	return reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem().Interface()
}

// memberStats calls MemberStats on ringpop-go's own SWIM node (Ringpop.node).
func memberStats(rp *ringpop.Ringpop) swim.MemberStats {
	return unexported(rp, "node").(swim.NodeInterface).MemberStats()
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ring-oracle" {
		ringOracle()
		return
	}
	listen := flag.String("listen", "", "HOST:PORT")
	app := flag.String("app", "", "ringpop app name")
	hosts := flag.String("hosts", "", "bootstrap hosts, comma-separated")
	suspectMs := flag.Int("suspect-ms", 5000, "suspect period")
	faultyMs := flag.Int("faulty-ms", 24*60*60*1000, "faulty period")
	tombstoneMs := flag.Int("tombstone-ms", 60000, "tombstone period")
	identity := flag.String("identity", "", "ringpop identity (placement on the ring)")
	labels := flag.String("labels", "", "labels k=v, comma-separated")
	replicaPoints := flag.Int("replica-points", 100, "replica points per member on the ring")
	flag.Parse()
	if *listen == "" || *app == "" || *hosts == "" {
		fmt.Fprintln(os.Stderr, "usage: ringpop-go-node --listen HOST:PORT --app NAME --hosts H:P,H:P [--suspect-ms N]")
		os.Exit(2)
	}
	if os.Getenv("RINGPOP_PEER_DEBUG") == "" {
		log.SetOutput(io.Discard)
	}

	ch, err := tchannel.NewChannel(*app, nil)
	if err != nil {
		log.Fatalf("tchannel: %v", err)
	}
	if err := ch.ListenAndServe(*listen); err != nil {
		fmt.Fprintf(os.Stderr, "listen: %v\n", err)
		os.Exit(1)
	}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	options := []ringpop.Option{ringpop.Channel(ch), ringpop.Address(*listen), ringpop.SuspectPeriod(ms(*suspectMs)), ringpop.FaultyPeriod(ms(*faultyMs)), ringpop.TombstonePeriod(ms(*tombstoneMs)),
		ringpop.HashRingConfig(&hashring.Configuration{ReplicaPoints: *replicaPoints})}
	if *identity != "" {
		options = append(options, ringpop.Identity(*identity))
	}
	rp, err := ringpop.New(*app, options...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringpop: %v\n", err)
		os.Exit(1)
	}
	// One successful join is enough to be ready: the nodes all start at once, and a join to a node
	// still bootstrapping is refused and retried with a growing delay (up to 60 s). The test then
	// waits until every node lists all of them alive with one checksum.
	if _, err := rp.Bootstrap(&swim.BootstrapOptions{DiscoverProvider: statichosts.New(strings.Split(*hosts, ",")...), JoinSize: 1}); err != nil {
		fmt.Fprintf(os.Stderr, "bootstrap: %v\n", err)
		os.Exit(1)
	}
	if *labels != "" {
		own, err := rp.Labels()
		if err != nil {
			fmt.Fprintf(os.Stderr, "labels: %v\n", err)
			os.Exit(1)
		}
		for _, pair := range strings.Split(*labels, ",") {
			key, value, ok := strings.Cut(pair, "=")
			if !ok {
				fmt.Fprintf(os.Stderr, "--labels %s is not k=v\n", pair)
				os.Exit(2)
			}
			if err := own.Set(key, value); err != nil {
				fmt.Fprintf(os.Stderr, "label %s: %v\n", key, err)
				os.Exit(1)
			}
		}
	}
	out := json.NewEncoder(os.Stdout)
	_ = out.Encode(struct {
		Ready   bool   `json:"ready"`
		Address string `json:"address"`
		Pid     int    `json:"pid"`
	}{true, *listen, os.Getpid()})

	lines := bufio.NewScanner(os.Stdin)
	lines.Buffer(make([]byte, 1<<20), 1<<26)
	for lines.Scan() {
		var req request
		if err := json.Unmarshal(lines.Bytes(), &req); err != nil {
			_ = out.Encode(map[string]string{"error": err.Error()})
			continue
		}
		switch req.Q {
		case "members":
			_ = out.Encode(memberStats(rp))
		case "lookup":
			owners := make([]string, len(req.Keys))
			for i, key := range req.Keys {
				owners[i], _ = rp.Lookup(key)
			}
			_ = out.Encode(map[string][]string{"owners": owners})
		case "lookupN":
			owners := make([][]string, len(req.Keys))
			for i, key := range req.Keys {
				owners[i], _ = rp.LookupN(key, req.N)
			}
			_ = out.Encode(map[string][][]string{"owners": owners})
		case "ring":
			checksum, _ := rp.Checksum()
			servers, _ := rp.GetReachableMembers()
			sort.Strings(servers)
			checksums := unexported(rp, "ring").(*hashring.HashRing).Checksums()
			_ = out.Encode(struct {
				Checksum  uint32            `json:"checksum"`
				Checksums map[string]uint32 `json:"checksums"`
				Servers   []string          `json:"servers"`
			}{checksum, checksums, servers})
		default:
			_ = out.Encode(map[string]string{"error": "unknown query " + req.Q})
		}
	}
	// stdin closed: the test is gone, so is this node.
	rp.Destroy()
}
