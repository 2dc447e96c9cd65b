// 扫码打卡: the browser's BarcodeDetector on the back camera where there is one; otherwise (and
// always beside it) the last six characters printed under the code, typed. The API finds the point
// by either.
import { Button, Input, Space } from "antd";
import { useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";

interface Detected { rawValue: string }
interface Detector { detect(source: HTMLVideoElement): Promise<Detected[]> }
type DetectorClass = new (options: { formats: string[] }) => Detector;

function detectorClass(): DetectorClass | null {
  const found = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  return found && navigator.mediaDevices ? found : null;
}

export function CodeEntry({ value, onChange, testId }: { value: string; onChange: (code: string) => void; testId: string }) {
  const t = useT();
  const [scanning, setScanning] = useState(false);
  const canScan = detectorClass() !== null;
  return (
    <div>
      <Space.Compact style={{ width: "100%" }}>
        <Input value={value} onChange={(e) => onChange(e.target.value.trim())} maxLength={40} autoCapitalize="characters" autoComplete="off"
               placeholder={t("二维码下方后6位", "Last 6 characters under the code")} aria-label={t("巡查点码", "Point code")}
               data-testid={`${testId}-code`} />
        {canScan && <Button onClick={() => setScanning(!scanning)} data-testid={`${testId}-scan`}>{scanning ? t("停止", "Stop") : t("扫码", "Scan")}</Button>}
      </Space.Compact>
      {scanning && <Scanner onCode={(c) => { onChange(c); setScanning(false); }} />}
    </div>
  );
}

function Scanner({ onCode }: { onCode: (code: string) => void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const done = useRef(onCode);
  done.current = onCode;
  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Detector({ formats: ["qr_code"] });
    const look = async () => {
      if (stopped || !video.current) return;
      const found = await detector.detect(video.current).catch(() => []);
      const code = found.find((d) => d.rawValue)?.rawValue;
      if (code) done.current(code);
      else timer = window.setTimeout(() => void look(), 300);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(async (s) => {
      stream = s;
      if (stopped || !video.current) return;
      video.current.srcObject = s;
      await video.current.play();
      void look();
    }).catch(() => setFailed(true));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  if (failed) return <div role="alert">{t("无法打开相机，请输入二维码下方后6位。", "The camera did not open: type the last 6 characters under the code.")}</div>;
  return <div className="fc-scanner"><video ref={video} muted playsInline aria-label={t("相机取景", "Camera")} /></div>;
}
