"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button";

type Detector = { detect: (source: HTMLVideoElement) => Promise<{ rawValue: string }[]> };
type DetectorConstructor = new (options: { formats: string[] }) => Detector;

const FORMATS = ["qr_code", "code_128", "code_39", "ean_13"];
const SCAN_EVERY_MS = 250;

/**
 * Reads a loyalty card with the tablet camera: the browser's own BarcodeDetector where it has one,
 * otherwise ZXing, loaded only when the camera is opened so the lookup page stays light.
 */
export function CameraScan({ onScan }: { onScan: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(Boolean(navigator.mediaDevices?.getUserMedia)), []);
  if (!supported) return null;
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => setOpen(true)} className="min-h-14">
        Scan card
      </Button>
      {open && (
        <ScanDialog
          onClose={() => setOpen(false)}
          onScan={(text) => {
            setOpen(false);
            onScan(text);
          }}
        />
      )}
    </>
  );
}

function ScanDialog({ onClose, onScan }: { onClose: () => void; onScan: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let stop = () => {};
    (async () => {
      try {
        const Native = (window as unknown as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector;
        if (Native) {
          const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
          stop = () => stream.getTracks().forEach((t) => t.stop());
          if (stopped || !video.current) return stop();
          video.current.srcObject = stream;
          await video.current.play();
          const detector = new Native({ formats: FORMATS });
          const timer = setInterval(async () => {
            const [code] = video.current ? await detector.detect(video.current).catch(() => []) : [];
            if (code && !stopped) onScan(code.rawValue);
          }, SCAN_EVERY_MS);
          const stopStream = stop;
          stop = () => (clearInterval(timer), stopStream());
        } else {
          const { BrowserMultiFormatReader } = await import("@zxing/browser");
          if (stopped || !video.current) return;
          const controls = await new BrowserMultiFormatReader().decodeFromConstraints({ video: { facingMode: "environment" } }, video.current, (result) => {
            if (result && !stopped) onScan(result.getText());
          });
          stop = () => controls.stop();
        }
      } catch {
        if (!stopped) setError("The camera is not available. Type the card number, or use the handheld scanner.");
      }
    })();
    return () => {
      stopped = true;
      stop();
    };
  }, [onScan]);
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="scan-title" className="fixed inset-0 z-40 flex items-center justify-center bg-stone-900/70 p-4">
      <div className="flex w-full max-w-lg flex-col gap-3 rounded-3xl bg-white p-5">
        <h2 id="scan-title" className="text-xl font-bold">
          Hold the card’s barcode or QR code to the camera
        </h2>
        {error ? (
          <p role="status" className="rounded-xl bg-amber-50 px-4 py-3 text-amber-950">
            {error}
          </p>
        ) : (
          <video ref={video} muted playsInline className="aspect-video w-full rounded-2xl bg-stone-900" />
        )}
        <Button type="button" variant="secondary" onClick={onClose} autoFocus className="self-end">
          Close
        </Button>
      </div>
    </div>
  );
}
