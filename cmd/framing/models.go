package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/framing-project/framing/models"
)

func modelsCommand() *cli.Command {
	return &cli.Command{
		Name:  "models",
		Usage: "list the embedded model bundles and those in the local models directory",
		Description: `Any listed REF can be passed to --model. Local bundles are looked for in
$FRAMING_MODELS_DIR (default ~/.local/share/framing/models) and in --dir.

Examples:
   framing models
   framing models --dir ./out --format json`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "dir", Usage: "also list bundle directories under `DIR`"},
			formatFlag("text", "text", "json"),
		},
		Action: func(c *cli.Context) error {
			dirs := append([]string{models.LocalDir()}, c.StringSlice("dir")...)
			list, err := models.List(dirs...)
			if err != nil {
				return err
			}
			if c.String("format") == "json" {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			tw := tabwriter.NewWriter(c.App.Writer, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "REF\tNAME\tVERSION\tARCH\tSIZE\tDEV MACRO-F1\tSOURCE")
			for _, m := range list {
				if m.Err != "" {
					fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\tbroken: %s\n", m.Ref, m.Err)
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f MB\t%.3f\t%s\n", m.Ref, m.Name, m.Version, m.Arch, float64(m.Size)/1e6, m.DevMacroF1, m.Source)
			}
			return tw.Flush()
		},
	}
}
