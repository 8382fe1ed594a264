// One real ringpop-go node (github.com/uber/ringpop-go on tchannel-go) for ringside's tests, with
// the same interface as test/peers/ringpop/node.cjs (the ringpop-node peer):
//
//	ringpop-go-node --listen 127.0.0.1:30000 --app demo --hosts 127.0.0.1:30000,127.0.0.1:30001 [--suspect-ms 5000]
//
// It prints {"ready":true,"address":...,"pid":...} once bootstrapped, then answers one JSON request
// per stdin line with one JSON line, from the node's own objects (never over TChannel):
//
//	{"q":"members"}            -> {"checksum":n,"members":[{address,status,incarnationNumber}]}
//	{"q":"lookup","keys":[..]} -> {"owners":[..]}
//
// ringpop-go keeps its SWIM node in an unexported field; the members query reads its MemberStats
// (the same data ringpop-go's own /admin/stats serves) through reflection. Test infrastructure only.
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
	"strings"
	"time"
	"unsafe"

	ringpop "github.com/uber/ringpop-go"
	"github.com/uber/ringpop-go/discovery/statichosts"
	"github.com/uber/ringpop-go/swim"
	"github.com/uber/tchannel-go"
)

type request struct {
	Q    string   `json:"q"`
	Keys []string `json:"keys"`
}

// memberStats calls MemberStats on ringpop-go's own SWIM node (Ringpop.node, unexported).
func memberStats(rp *ringpop.Ringpop) swim.MemberStats {
	field := reflect.ValueOf(rp).Elem().FieldByName("node")
	node := reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem().Interface().(swim.NodeInterface)
	return node.MemberStats()
}

func main() {
	listen := flag.String("listen", "", "HOST:PORT")
	app := flag.String("app", "", "ringpop app name")
	hosts := flag.String("hosts", "", "bootstrap hosts, comma-separated")
	suspectMs := flag.Int("suspect-ms", 5000, "suspect period")
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
	rp, err := ringpop.New(*app, ringpop.Channel(ch), ringpop.Address(*listen), ringpop.SuspectPeriod(time.Duration(*suspectMs)*time.Millisecond))
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringpop: %v\n", err)
		os.Exit(1)
	}
	if _, err := rp.Bootstrap(&swim.BootstrapOptions{DiscoverProvider: statichosts.New(strings.Split(*hosts, ",")...)}); err != nil {
		fmt.Fprintf(os.Stderr, "bootstrap: %v\n", err)
		os.Exit(1)
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
		default:
			_ = out.Encode(map[string]string{"error": "unknown query " + req.Q})
		}
	}
	// stdin closed: the test is gone, so is this node.
	rp.Destroy()
}
